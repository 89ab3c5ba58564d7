import { writeFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { AlertUnderTest } from "./backtest-rules.js";
import { conditionClearMs, conditionOnsetMs } from "./burn-conditions.js";
import { expandingNotation, seriesSelector, syntheticCounters, type FaultProfile } from "./fault-profile.js";
import { seriesModel } from "./series-model.js";
import type { SloDefinition } from "./slo-definition.js";
import { formatPromDuration } from "./utils/prom-duration.js";
import { parseGotSamples, type PrintedSample } from "./utils/promtool-samples.js";
import { runTool } from "./utils/tool-run.js";

export interface ProfileOutcome {
  profile: FaultProfile;
  /** Fraction of the period's budget the whole fault spends. */
  faultBudget: number;
  fired: boolean;
  /** From fault start to the first evaluation the alert was firing. */
  detectionMs?: number;
  /** The Workbook's time to fire plus `for`, when the fault lasts that long. */
  predictedDetectionMs?: number;
  /** Fraction of the budget spent before the alert fired. */
  budgetAtDetection?: number;
  /** From fault end to the first evaluation the alert no longer fired; undefined while still firing. */
  resetMs?: number;
  predictedResetMs?: number;
  /** Fired, stopped and fired again within the run. */
  intermittent: boolean;
}

/**
 * Recorded after every alert group: the timestamp of each firing evaluation, so the first
 * and last firing are plain range functions (a subquery over days exceeds promtool's sample limit).
 */
const FIRING_RECORD = "slo_harness:alerts_firing:timestamp";
export const PROBE_RULES = {
  groups: [{ name: "slo-harness-backtest-probe", rules: [{ record: FIRING_RECORD, expr: 'timestamp(ALERTS{alertstate="firing"})' }] }],
};
const PROBES = {
  first: (h: string) => `min_over_time(${FIRING_RECORD}[${h}])`,
  last: (h: string) => `max_over_time(${FIRING_RECORD}[${h}])`,
  count: (h: string) => `count_over_time(ALERTS{alertstate="firing"}[${h}])`,
};

function alertKey(labels: Record<string, string>): string {
  return `${labels.alertname}\u0000${labels.severity ?? ""}`;
}

/** One promtool run: the firing history of every alert under one fault profile. */
export async function runProfile(
  dir: string,
  ruleFiles: string[],
  groupOrder: string[],
  slo: SloDefinition,
  profile: FaultProfile,
  alerts: AlertUnderTest[],
  intervalMs: number,
  budget: number,
) {
  // Long windows must be full of healthy traffic before the fault, or they start out burning.
  const warmupMs = Math.ceil(Math.max(...alerts.map((a) => a.lookbackMs), intervalMs) / intervalMs) * intervalMs;
  // Run on after the fault until every alert should have cleared, with room for the prediction to be off.
  const tailMs =
    Math.max(
      ...alerts.map((a) => {
        const clear = conditionClearMs(a.condition, profile.errorRatio, profile.durationMs);
        return (clear === undefined ? a.lookbackMs : Math.min(a.lookbackMs, clear * 1.1 + 5 * intervalMs)) + a.forMs;
      }),
    ) +
    2 * intervalMs;
  const steps = Math.ceil((warmupMs + profile.durationMs + tailMs) / intervalMs);
  const horizonMs = steps * intervalMs;
  const counters = syntheticCounters(seriesModel(slo), profile, warmupMs, intervalMs, steps);
  const h = formatPromDuration(horizonMs);
  const step = formatPromDuration(intervalMs);
  const test = {
    rule_files: ruleFiles,
    evaluation_interval: step,
    // Without an order promtool evaluates groups in random order, and an alert may read its
    // recording rule's value from the previous evaluation or this one: results would vary by a step.
    group_eval_order: groupOrder,
    tests: [
      {
        interval: step,
        input_series: counters.series.map((s) => ({ series: seriesSelector(s.spec), values: expandingNotation(s.values) })),
        // Expecting nothing makes promtool print what it got: each alert's first and last firing
        // timestamps and how many evaluations it fired, in one run.
        promql_expr_test: Object.entries(PROBES).map(([probe, q]) => ({
          expr: `label_replace(${q(h)}, "slo_harness_probe", "${probe}", "", "")`,
          eval_time: h,
          exp_samples: [],
        })),
      },
    ],
  };
  const testFile = path.join(dir, `${slo.name}-${profile.name}.test.yml`);
  writeFileSync(testFile, YAML.stringify(test, { lineWidth: 0 }));
  const result = await runTool("promtool", ["test", "rules", testFile], { cwd: dir, timeoutMs: 300_000 });
  const samples: PrintedSample[] = result.ok ? [] : parseGotSamples(result.output);
  const queryErrors = result.output.split("\n").filter((l) => /time: \S+, err: /.test(l));
  if (queryErrors.length) throw new Error(`promtool test rules ${testFile}: a probe query failed:\n${queryErrors.join("\n")}`);
  if (!result.ok && samples.length === 0) throw new Error(`promtool test rules ${testFile} failed without alert samples:\n${result.output.slice(0, 2000)}`);
  const faultEndMs = warmupMs + profile.durationMs;
  const perSecondBudget = budget * profile.ratePerSecond * (slo.periodMs / 1000);
  const faultBudget = counters.bad[counters.bad.length - 1]! / perSecondBudget;
  return alerts.map((alert): ProfileOutcome => {
    const mine = samples.filter((s) => alertKey(s.labels) === alertKey({ alertname: alert.name, ...(alert.severity ? { severity: alert.severity } : {}) }));
    const value = (probe: string) => mine.find((s) => s.labels.slo_harness_probe === probe)?.value;
    const first = value("first");
    const last = value("last");
    const count = value("count");
    const onset = conditionOnsetMs(alert.condition, profile.errorRatio);
    const predictedDetectionMs = onset !== undefined && Number.isFinite(onset) && onset <= profile.durationMs ? onset + alert.forMs : undefined;
    const clear = conditionClearMs(alert.condition, profile.errorRatio, profile.durationMs);
    const outcome: ProfileOutcome = {
      profile,
      faultBudget,
      fired: first !== undefined,
      intermittent: false,
      predictedDetectionMs,
      predictedResetMs: predictedDetectionMs !== undefined ? clear : undefined,
    };
    if (first === undefined || last === undefined || count === undefined) return outcome;
    const firstMs = first * 1000;
    const lastMs = last * 1000;
    outcome.detectionMs = firstMs - warmupMs;
    outcome.budgetAtDetection = counters.bad[Math.round(firstMs / intervalMs)]! / perSecondBudget;
    outcome.intermittent = Math.round((lastMs - firstMs) / intervalMs) + 1 !== count;
    if (lastMs + intervalMs < horizonMs) outcome.resetMs = lastMs + intervalMs - faultEndMs;
    return outcome;
  });
}
