import type { SloDefinition } from "../assertions/slo/index.js";
import type { LoadResult } from "../core/report-schema.js";

/**
 * Client-side pass/fail lines for the load, derived from the experiment's SLOs the way k6
 * thresholds are: the run's failure ratio against each error budget, and p99 against 2 s (the
 * article's latency objective). They describe the load; verdicts come from expectations.
 */
export function loadThresholds(slos: readonly SloDefinition[], result: Omit<LoadResult, "thresholds">): LoadResult["thresholds"] {
  const thresholds: LoadResult["thresholds"] = slos
    .filter((slo) => slo.sli.kind === "ratio")
    .map((slo) => {
      const limit = 1 - slo.objective;
      return {
        name: `failure ratio within the ${slo.name} budget`,
        ok: result.errorRatio <= limit,
        value: result.errorRatio,
        limit: `<= ${Number(limit.toFixed(6))}`,
      };
    });
  thresholds.push({ name: "p99 latency under 2 s", ok: result.latency.p99 < 2000, value: result.latency.p99, limit: "< 2000 ms" });
  return thresholds;
}
