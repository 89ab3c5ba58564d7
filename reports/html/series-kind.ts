/** Which chart a server-side series belongs on, and how to scale it into that chart's unit. */
export type PanelId = "load" | "latency" | "errors" | "burn" | "other";

export interface SeriesKind {
  panel: PanelId;
  /** Multiply values by this to get the panel's unit (seconds → ms, ratio → %). */
  scale: number;
}

/**
 * Classifies by Prometheus naming (`level:metric:operations`, base units, `_ratio`), which is how
 * the runner keys `report.series`: `job:checkout_api_error_ratio:rate1m` is an error ratio,
 * `job:checkout_api_p99_latency_seconds` a latency in seconds, `…requests:rate1m` a request rate.
 * Anything else is still drawn, on its own chart in its own units.
 */
export function classifySeries(name: string): SeriesKind {
  const metric = name.replace(/\{.*$/s, "").toLowerCase();
  if (metric.includes("burn")) return { panel: "burn", scale: 1 };
  if (metric.includes("error") && /ratio|_per_|percent/.test(metric)) return { panel: "errors", scale: metric.includes("percent") ? 1 : 100 };
  if (/latency|duration|seconds|_ms\b|milliseconds/.test(metric)) {
    return { panel: "latency", scale: /seconds/.test(metric) && !metric.includes("milliseconds") ? 1000 : 1 };
  }
  if (/request|rps|throughput/.test(metric)) return { panel: "load", scale: 1 };
  return { panel: "other", scale: 1 };
}
