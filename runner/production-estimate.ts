import { backtestRules, type SloDefinition } from "../assertions/slo/index.js";
import type { FaultResult, LoadResult, ProductionEstimate } from "../core/report-schema.js";

export interface ProductionEstimateInput {
  /** The alert rules as written, before compression. */
  ruleFiles: string[];
  slos: readonly SloDefinition[];
  faults: FaultResult[];
  load?: LoadResult;
  factor: number;
  /** The backtest's evaluation interval; Prometheus's default 1m. */
  intervalMs?: number;
}

const METHOD = "promtool test rules on the uncompressed alert rules, fed the observed fault stretched by the compression factor";

/**
 * A compressed run pages in seconds what production pages in minutes, and its budget figures are
 * against a period shortened by the same factor. The honest production figure is the real rules'
 * answer to the same fault at production scale: the users' error ratio while the faults were in
 * place, for their duration × factor, at the load's rate, replayed through promtool. Undefined
 * when there is nothing to scale (no compression, no load or no completed fault).
 */
export async function estimateProduction(input: ProductionEstimateInput): Promise<ProductionEstimate | undefined> {
  const windows = input.faults.filter((f) => f.injectedAt && f.rolledBackAt);
  if (input.factor <= 1 || !input.load || windows.length === 0 || input.slos.length === 0) return undefined;
  const from = Math.min(...windows.map((f) => Date.parse(f.injectedAt!)));
  const to = Math.max(...windows.map((f) => Date.parse(f.rolledBackAt!)));
  const during = input.load.samples.filter((s) => Date.parse(s.t) >= from && Date.parse(s.t) < to);
  const requests = during.reduce((n, s) => n + s.requests, 0);
  const errors = during.reduce((n, s) => n + s.errors, 0);
  const durationSeconds = ((to - from) / 1000) * input.factor;
  const profile = { errorRatio: requests > 0 ? errors / requests : 0, durationSeconds, ratePerSecond: input.load.rps };
  const base = { method: METHOD, profile, alerts: [] };
  if (profile.errorRatio === 0) return { ...base, error: "the users saw no failed request while the faults were in place: nothing to replay" };
  try {
    const result = await backtestRules(input.ruleFiles, [...input.slos], {
      intervalMs: input.intervalMs ?? 60_000,
      profiles: [{ name: "this-run", errorRatio: profile.errorRatio, durationMs: durationSeconds * 1000, ratePerSecond: profile.ratePerSecond }],
      concurrency: 1,
    });
    const alerts = result.alerts.map(({ alert, slo, outcomes: [o] }) => ({
      alert: alert.name,
      ...(alert.severity ? { severity: alert.severity } : {}),
      slo: slo.name,
      fired: Boolean(o?.fired),
      ...(o?.detectionMs !== undefined ? { detectionSeconds: o.detectionMs / 1000 } : {}),
      ...(o?.budgetAtDetection !== undefined ? { budgetAtDetection: o.budgetAtDetection } : {}),
      ...(o?.resetMs !== undefined ? { resetSeconds: o.resetMs / 1000 } : {}),
    }));
    if (alerts.length === 0) return { ...base, error: "no alert rule names one of the run's SLOs in its slo label, so none could be replayed" };
    return { ...base, alerts };
  } catch (err) {
    return { ...base, error: `the backtest failed: ${(err as Error).message}` };
  }
}
