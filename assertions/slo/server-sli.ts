import type { PrometheusClient } from "../clients/prometheus-client.js";
import { errorRatioQuery, type SloDefinition } from "./slo-definition.js";

/** The error ratio Prometheus saw over [from, to]: the SLI's queries with the window set to that span. */
export async function serverErrorRatio(
  prometheus: PrometheusClient,
  slo: SloDefinition,
  from: Date,
  to: Date,
): Promise<{ errorRatio: number | null; query: string }> {
  const seconds = Math.max(1, Math.round((to.getTime() - from.getTime()) / 1000));
  const query = errorRatioQuery(slo, `${seconds}s`);
  const samples = await prometheus.query(query, to);
  const values = samples.map((s) => s.value).filter((v) => Number.isFinite(v));
  // Several series (a query grouped by job, say) are summarised by the worst one.
  return { errorRatio: values.length ? Math.max(...values) : null, query };
}

/** Burn rate over a short window across the run, [unix seconds, burn rate], for charts. */
export async function serverBurnRateSeries(
  prometheus: PrometheusClient,
  slo: SloDefinition,
  budget: number,
  from: Date,
  to: Date,
  window: string,
  points = 60,
): Promise<[number, number][]> {
  const step = Math.max(1, Math.ceil((to.getTime() - from.getTime()) / 1000 / points));
  const series = await prometheus.queryRange(`(${errorRatioQuery(slo, window)}) / ${budget}`, from, to, step);
  return (series[0]?.values ?? []).filter(([, v]) => Number.isFinite(v));
}
