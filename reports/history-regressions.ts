import type { Report, Verdict } from "../core/report-schema.js";
import { DEFAULT_THRESHOLDS } from "./compare-reports.js";
import { setupOf } from "./run-setup.js";

/** One run of a history folder: its report and where its report.json lies, relative to the folder. */
export interface HistoryRun {
  file: string;
  report: Report;
}

/** Names a run in a regression: its start and its report.json. */
export interface RunRef {
  startedAt: string;
  file: string;
}

/**
 * The latency rule, the same limits as `report compare` but against the median of recent runs
 * rather than one pinned run. Both limits must be crossed: a poller's 2 s → 5 s or an alert rule's
 * 8 min → 8 min 40 s is one scrape or evaluation interval of jitter, 30 s → 3 min is not.
 */
export interface HistoryRule {
  /** How many earlier runs in which the expectation passed make its baseline (their median). */
  baselineRuns: number;
  /** Seconds slower than the baseline before it counts. */
  latencySeconds: number;
  /** Factor slower than the baseline before it counts. */
  latencyRatio: number;
}

/**
 * A median of five: one or two unusually fast or slow earlier runs cannot move the baseline, and
 * once three runs in a row were slow (a deliberate change, like a longer `for:`), that is the new
 * normal the next run is judged against, rather than a flag that stays up forever.
 */
export const DEFAULT_HISTORY_RULE: HistoryRule = {
  baselineRuns: 5,
  latencySeconds: DEFAULT_THRESHOLDS.latencySeconds,
  latencyRatio: DEFAULT_THRESHOLDS.latencyRatio,
};

export type HistoryRegression =
  | {
      kind: "verdict";
      experiment: string;
      /** Absent when it is the run's own verdict. */
      expectation?: string;
      before: Verdict;
      after: Verdict;
      run: RunRef;
      /** The previous comparable run. */
      against: RunRef;
    }
  | {
      kind: "latency";
      experiment: string;
      expectation: string;
      /** The baseline: the median detection latency of the runs in `against`, in seconds. */
      before: number;
      after: number;
      run: RunRef;
      /** The earlier runs the baseline is the median of, oldest first. */
      against: RunRef[];
    };

const SEVERITY: Record<Verdict, number> = { pass: 0, inconclusive: 1, fail: 2 };

/**
 * Judges each experiment's newest complete run against the runs before it: a run or expectation
 * verdict worse than in the previous run, or an expectation detected clearly slower than usual.
 *
 * Partial runs are neither judged nor a baseline: an interrupted run says how it was stopped, not
 * how the stack did. Only runs on the same provider with the same alert-rule compression and load
 * source are compared, because a shared history folder often mixes a local stack with a cluster, or
 * compressed rules (alerts in seconds) with real ones, and those differ by design, not by regression.
 */
export function findRegressions(runs: HistoryRun[], rule: HistoryRule = DEFAULT_HISTORY_RULE): HistoryRegression[] {
  const byExperiment = new Map<string, HistoryRun[]>();
  for (const run of runs) {
    if (run.report.partial) continue;
    const id = run.report.experiment.id;
    byExperiment.set(id, [...(byExperiment.get(id) ?? []), run]);
  }
  return [...byExperiment.keys()].sort().flatMap((id) => judgeLatest(byExperiment.get(id)!, rule));
}

function judgeLatest(runs: HistoryRun[], rule: HistoryRule): HistoryRegression[] {
  const ordered = [...runs].sort((a, b) => a.report.startedAt.localeCompare(b.report.startedAt));
  const latest = ordered.at(-1)!;
  const earlier = ordered.slice(0, -1).filter((r) => setupOf(r.report) === setupOf(latest.report));
  const previous = earlier.at(-1);
  if (!previous) return [];
  const experiment = latest.report.experiment.id;
  const run = ref(latest);
  const against = ref(previous);
  const found: HistoryRegression[] = [];
  if (worse(previous.report.verdict, latest.report.verdict)) {
    found.push({ kind: "verdict", experiment, before: previous.report.verdict, after: latest.report.verdict, run, against });
  }
  for (const now of latest.report.expectations) {
    const then = previous.report.expectations.find((e) => e.id === now.id);
    if (then && worse(then.verdict, now.verdict)) {
      found.push({ kind: "verdict", experiment, expectation: now.id, before: then.verdict, after: now.verdict, run, against });
    }
  }
  for (const now of latest.report.expectations) {
    const after = passedIn(now);
    if (after === undefined) continue;
    const baseline = earlier
      .map((r) => ({ run: r, latency: passedIn(r.report.expectations.find((e) => e.id === now.id)) }))
      .filter((b): b is { run: HistoryRun; latency: number } => b.latency !== undefined)
      .slice(-rule.baselineRuns);
    if (baseline.length === 0) continue;
    const before = median(baseline.map((b) => b.latency));
    if (after - before > rule.latencySeconds && after > before * rule.latencyRatio) {
      found.push({ kind: "latency", experiment, expectation: now.id, before, after, run, against: baseline.map((b) => ref(b.run)) });
    }
  }
  return found;
}

function worse(before: Verdict, after: Verdict): boolean {
  return SEVERITY[after] > SEVERITY[before];
}

/** The detection latency of an expectation that passed; a miss or an unjudged check has none worth comparing. */
function passedIn(e: Report["expectations"][number] | undefined): number | undefined {
  return e?.verdict === "pass" ? e.detectionLatencySeconds : undefined;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function ref(run: HistoryRun): RunRef {
  return { startedAt: run.report.startedAt, file: run.file };
}
