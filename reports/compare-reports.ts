import { BadInputError } from "../core/errors.js";
import type { ExpectationResult, Report, Verdict } from "../core/report-schema.js";
import { setupOf } from "./run-setup.js";

/**
 * A change counts as a regression only when it is past BOTH the absolute and the relative limit:
 * 2 s → 5 s of detection latency is noise for a poller, 30 s → 3 min is not; 0.01 % → 0.03 % of
 * budget is nothing, 1 % → 3 % is a worse fault response.
 */
export interface CompareThresholds {
  /** Seconds of extra detection latency (default 30). */
  latencySeconds: number;
  /** Factor of extra detection latency (default 1.5). */
  latencyRatio: number;
  /** Extra budget burned, as a fraction of the SLO window's whole budget (default 0.005 = 0.5 %). */
  budget: number;
  /** Factor of extra budget burned (default 1.5). */
  budgetRatio: number;
}

export const DEFAULT_THRESHOLDS: CompareThresholds = { latencySeconds: 30, latencyRatio: 1.5, budget: 0.005, budgetRatio: 1.5 };

export type Change = "regressed" | "improved" | "unchanged" | "new" | "missing";

export interface ExpectationComparison {
  id: string;
  baseline?: { verdict: Verdict; latencySeconds?: number };
  run?: { verdict: Verdict; latencySeconds?: number };
  change: Change;
}

export interface BudgetComparison {
  slo: string;
  side: "client" | "server";
  baseline: number | null;
  run: number | null;
  change: Change;
}

export interface ReportComparison {
  experiment: string;
  /** setup: provider, rule compression and load source; when they differ, latencies are not like for like. */
  baseline: { startedAt: string; verdict: Verdict; setup: string };
  run: { startedAt: string; verdict: Verdict; setup: string };
  thresholds: CompareThresholds;
  expectations: ExpectationComparison[];
  budgets: BudgetComparison[];
  regressions: number;
}

/** Detection-latency, verdict and budget regressions of a run against a pinned known-good run. */
export function compareReports(baseline: Report, run: Report, thresholds: CompareThresholds = DEFAULT_THRESHOLDS): ReportComparison {
  if (baseline.experiment.id !== run.experiment.id) {
    throw new BadInputError(
      `experiment.id: the baseline is "${baseline.experiment.id}" and the run is "${run.experiment.id}"; compare a run with a baseline of the same experiment`,
    );
  }
  const expectations = pairBy(checks(baseline), checks(run), (e) => e.id).map(([id, b, r]) => compareExpectation(id, b, r, thresholds));
  const budgets = pairBy(baseline.slos, run.slos, (s) => s.name).flatMap(([slo, b, r]) =>
    (["client", "server"] as const).map((side) => compareBudget(slo, side, b?.[side].budgetConsumed ?? null, r?.[side].budgetConsumed ?? null, thresholds)),
  );
  const regressions =
    expectations.filter((c) => c.change === "regressed" || c.change === "missing").length + budgets.filter((c) => c.change === "regressed").length;
  return {
    experiment: run.experiment.id,
    baseline: { startedAt: baseline.startedAt, verdict: baseline.verdict, setup: setupOf(baseline) },
    run: { startedAt: run.startedAt, verdict: run.verdict, setup: setupOf(run) },
    thresholds,
    expectations,
    budgets,
    regressions,
  };
}

/** Steady-state checks count too: a known-good run that stops recovering has regressed. */
function checks(report: Report): ExpectationResult[] {
  return [
    ...report.expectations,
    ...report.steadyState.before.map((e) => ({ ...e, id: `before:${e.id}` })),
    ...report.steadyState.after.map((e) => ({ ...e, id: `after:${e.id}` })),
  ];
}

function compareExpectation(id: string, b: ExpectationResult | undefined, r: ExpectationResult | undefined, t: CompareThresholds): ExpectationComparison {
  const side = (e: ExpectationResult) => ({
    verdict: e.verdict,
    ...(e.detectionLatencySeconds !== undefined ? { latencySeconds: e.detectionLatencySeconds } : {}),
  });
  if (!b) return { id, run: side(r!), change: "new" };
  // A check the baseline proved and the run no longer makes is lost coverage: a regression.
  if (!r) return { id, baseline: side(b), change: "missing" };
  const result = { id, baseline: side(b), run: side(r) };
  if (b.verdict === "pass" && r.verdict !== "pass") return { ...result, change: "regressed" };
  if (b.verdict !== "pass" && r.verdict === "pass") return { ...result, change: "improved" };
  const before = b.detectionLatencySeconds;
  const after = r.detectionLatencySeconds;
  if (b.verdict !== "pass" || before === undefined || after === undefined) return { ...result, change: "unchanged" };
  return { ...result, change: judge(before, after, t.latencySeconds, t.latencyRatio) };
}

function compareBudget(slo: string, side: "client" | "server", b: number | null, r: number | null, t: CompareThresholds): BudgetComparison {
  const base = { slo, side, baseline: b, run: r };
  if (b === null && r === null) return { ...base, change: "unchanged" };
  if (b === null) return { ...base, change: "new" };
  // An unmeasured budget is reported, not failed: the expectations that depend on it already are.
  if (r === null) return { ...base, change: "missing" };
  return { ...base, change: judge(b, r, t.budget, t.budgetRatio) };
}

function judge(before: number, after: number, absolute: number, ratio: number): Change {
  const grew = after - before > absolute && (before <= 0 || after / before > ratio);
  const shrank = before - after > absolute && (after <= 0 || before / after > ratio);
  return grew ? "regressed" : shrank ? "improved" : "unchanged";
}

function pairBy<T>(baseline: T[], run: T[], key: (x: T) => string): [string, T | undefined, T | undefined][] {
  const keys = [...new Set([...baseline.map(key), ...run.map(key)])];
  return keys.map((k) => [k, baseline.find((x) => key(x) === k), run.find((x) => key(x) === k)]);
}
