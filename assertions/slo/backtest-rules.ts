import { durationLiterals } from "./promql-durations.js";
import { burnCondition, type BurnCondition } from "./burn-conditions.js";
import { parsePromql, vectorSelectors } from "./utils/promql-tree.js";
import { parsePromDuration } from "./utils/prom-duration.js";
import { readRuleFile, type RuleFile } from "./utils/rule-file.js";

export interface AlertUnderTest {
  name: string;
  severity?: string;
  slo?: string;
  file: string;
  expr: string;
  forMs: number;
  condition: BurnCondition;
  /** Longest range the alert reads, through recording rules: how much history it needs. */
  lookbackMs: number;
}

export interface LoadedRules {
  files: { file: string; rules: RuleFile }[];
  /** Recording rule name → its expressions (several SLOs may record the same name). */
  records: Map<string, string[]>;
  alerts: AlertUnderTest[];
}

function referencedNames(expr: string): string[] {
  return vectorSelectors(parsePromql(expr)).map((s) => s.metric);
}

/** Records an expression reads, directly or through other records. */
export function recordClosure(exprs: string[], records: ReadonlyMap<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const queue = exprs.flatMap(referencedNames);
  while (queue.length) {
    const name = queue.pop()!;
    if (seen.has(name) || !records.has(name)) continue;
    seen.add(name);
    for (const e of records.get(name)!) queue.push(...referencedNames(e));
  }
  return seen;
}

function maxRangeMs(exprs: string[]): number {
  return Math.max(
    0,
    ...exprs.flatMap((e) =>
      durationLiterals(parsePromql(e))
        .filter((d) => d.role !== "offset")
        .map((d) => d.ms),
    ),
  );
}

export function loadRulesForBacktest(files: string[]): LoadedRules {
  const loaded = files.map((file) => ({ file, rules: readRuleFile(file) }));
  const records = new Map<string, string[]>();
  for (const { rules } of loaded)
    for (const g of rules.groups) for (const r of g.rules) if (r.record) records.set(r.record, [...(records.get(r.record) ?? []), r.expr]);
  const firstRecord = new Map([...records].map(([k, v]) => [k, v[0]!]));
  const alerts: AlertUnderTest[] = [];
  for (const { file, rules } of loaded) {
    rules.groups.forEach((g, gi) =>
      g.rules.forEach((r, ri) => {
        if (!r.alert) return;
        let condition: BurnCondition;
        try {
          condition = burnCondition(r.expr, firstRecord);
        } catch (err) {
          throw new Error(`${file}: groups[${gi}].rules[${ri}] (${r.alert}).expr: ${(err as Error).message}`);
        }
        const deps = [...recordClosure([r.expr], records)].flatMap((n) => records.get(n)!);
        alerts.push({
          name: r.alert,
          severity: r.labels?.severity,
          slo: r.labels?.slo,
          file,
          expr: r.expr,
          forMs: r.for ? parsePromDuration(r.for) : 0,
          condition,
          lookbackMs: maxRangeMs([r.expr, ...deps]),
        });
      }),
    );
  }
  return { files: loaded, records, alerts };
}

/**
 * The rules one SLO's backtest needs: its alerts and the records they read, without
 * annotations (templates do not change timing and would only slow promtool down).
 */
export function prunedRuleFiles(loaded: LoadedRules, slo: string): { file: string; rules: RuleFile }[] {
  const alertExprs = loaded.alerts.filter((a) => a.slo === slo).map((a) => a.expr);
  const needed = recordClosure(alertExprs, loaded.records);
  return loaded.files
    .map(({ file, rules }) => ({
      file,
      rules: {
        groups: rules.groups
          .map((g) => ({
            ...g,
            rules: g.rules.filter((r) => (r.record ? needed.has(r.record) : r.labels?.slo === slo)).map(({ annotations: _dropped, ...r }) => r),
          }))
          .filter((g) => g.rules.length > 0),
      },
    }))
    .filter((f) => f.rules.groups.length > 0);
}
