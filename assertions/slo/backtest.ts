import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import YAML from "yaml";
import { impossibleThresholds } from "./burn-conditions.js";
import { DEFAULT_PROFILES, type FaultProfile } from "./fault-profile.js";
import { loadRulesForBacktest, prunedRuleFiles, type AlertUnderTest } from "./backtest-rules.js";
import { PROBE_RULES, runProfile, type ProfileOutcome } from "./backtest-run.js";
import { errorBudget, type SloDefinition } from "./slo-definition.js";

export type { ProfileOutcome } from "./backtest-run.js";

export interface BacktestOptions {
  /** Evaluation and scrape interval of the simulated Prometheus; default 1m. */
  intervalMs?: number;
  profiles?: readonly FaultProfile[];
  /** An alert that fires on a fault spending less than this fraction of the budget is noisy; default 0.01. */
  insignificantBudget?: number;
  /** Keep the generated promtool inputs (rule copies and test files) in this directory. */
  workDir?: string;
  /** promtool runs at once; each uses about one core. Default 2. */
  concurrency?: number;
}

export interface AlertBacktest {
  alert: AlertUnderTest;
  slo: SloDefinition;
  outcomes: ProfileOutcome[];
  flags: string[];
}

export interface BacktestResult {
  intervalMs: number;
  alerts: AlertBacktest[];
  /** Alerts with no `slo` label naming a known SLO: nothing to feed them. */
  skipped: { alert: string; file: string; reason: string }[];
}

function percentText(x: number): string {
  return `${Number((x * 100).toPrecision(3))} %`;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function flagsFor(alert: AlertUnderTest, outcomes: ProfileOutcome[], insignificant: number): string[] {
  const flags: string[] = [];
  const impossible = impossibleThresholds(alert.condition);
  const shown = [...new Set(impossible.map((t) => Number(t.toPrecision(6))))];
  if (impossible.length)
    flags.push(`can never fire: threshold ${shown.join(", ")} is above any error ratio (at most 1); lower the burn rate or tighten the objective`);
  else if (!outcomes.some((o) => o.fired)) flags.push(`never fired, not even on ${outcomes.map((o) => o.profile.name).join(", ")}`);
  for (const o of outcomes) {
    if (o.fired && o.faultBudget < insignificant)
      flags.push(`fires on an insignificant event: ${o.profile.name} spends only ${percentText(o.faultBudget)} of the budget`);
    if (o.intermittent) flags.push(`flaps during ${o.profile.name}: fired, cleared and fired again`);
  }
  if (alert.condition.kind === "unknown") flags.push(`no prediction: ${alert.condition.reason}`);
  return flags;
}

/**
 * Backtests the real (uncompressed) rules with `promtool test rules`: every alert tied to
 * an SLO by its `slo` label is fed synthetic traffic for each fault profile.
 */
export async function backtestRules(ruleFiles: string[], slos: SloDefinition[], options: BacktestOptions = {}): Promise<BacktestResult> {
  const intervalMs = options.intervalMs ?? 60_000;
  const profiles = options.profiles ?? DEFAULT_PROFILES;
  const loaded = loadRulesForBacktest(ruleFiles);
  const bySlo = new Map(slos.map((s) => [s.name, s]));
  const skipped = loaded.alerts
    .filter((a) => !a.slo || !bySlo.has(a.slo))
    .map((a) => ({ alert: a.name, file: a.file, reason: a.slo ? `labels.slo "${a.slo}" names no known SLO` : "no slo label ties it to an SLO" }));
  if (options.workDir) mkdirSync(options.workDir, { recursive: true });
  const dir = options.workDir ?? mkdtempSync(path.join(tmpdir(), "slo-harness-backtest-"));
  try {
    const results: AlertBacktest[] = [];
    for (const slo of slos) {
      const alerts = loaded.alerts.filter((a) => a.slo === slo.name);
      if (alerts.length === 0) continue;
      const pruned = prunedRuleFiles(loaded, slo.name);
      const groupOrder = [...pruned.flatMap((f) => f.rules.groups.map((g) => g.name)), PROBE_RULES.groups[0]!.name];
      const files = pruned.map(({ file, rules }, i) => {
        const out = path.join(dir, `${slo.name}-${i}-${path.basename(file)}`);
        writeFileSync(out, YAML.stringify(rules, { lineWidth: 0 }));
        return out;
      });
      const probeFile = path.join(dir, "slo-harness-probe.rules.yml");
      writeFileSync(probeFile, YAML.stringify(PROBE_RULES));
      files.push(probeFile);
      const perProfile = await mapLimited(profiles, options.concurrency ?? 2, (profile) =>
        runProfile(dir, files, groupOrder, slo, profile, alerts, intervalMs, errorBudget(slo)),
      );
      alerts.forEach((alert, i) => {
        const outcomes = perProfile.map((p) => p[i]!);
        results.push({ alert, slo, outcomes, flags: flagsFor(alert, outcomes, options.insignificantBudget ?? 0.01) });
      });
    }
    return { intervalMs, alerts: results, skipped };
  } finally {
    if (!options.workDir) rmSync(dir, { recursive: true, force: true });
  }
}
