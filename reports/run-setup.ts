import type { Report } from "../core/report-schema.js";

/**
 * Provider, rule compression and where the load came from: what must match for two runs'
 * latencies to be comparable (runner pods inside the cluster reach the API by another path than
 * this machine's load through a port-forward).
 */
export function setupOf(report: Report): string {
  const { provider, rules } = report.environment;
  const distributed = report.load?.distributed;
  return [provider, ...(rules.compressed ? [`rules ×${rules.factor}`] : []), ...(distributed ? [`load from ${distributed.runners} runner pods`] : [])].join(
    ", ",
  );
}
