import { withWindow } from "./slo-definition.js";
import { parsePromql, vectorSelectors, type VectorSelectorInfo } from "./utils/promql-tree.js";

/** The vector selectors of an SLI query, parsed with the window filled in. */
export function sliSelectors(query: string, where: string): VectorSelectorInfo[] {
  try {
    return vectorSelectors(parsePromql(withWindow(query, "5m")));
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
}

/**
 * A good-events query over a histogram bucket is a latency SLI: its `le` matcher is the
 * threshold. Returns undefined for any other query.
 */
export function latencyThreshold(goodQuery: string, where: string): number | undefined {
  const buckets = sliSelectors(goodQuery, where).filter((s) => s.metric.endsWith("_bucket"));
  if (buckets.length === 0) return undefined;
  const le = buckets[0]!.matchers.find((m) => m.name === "le");
  if (!le || le.op !== "=") throw new Error(`${where}: a histogram bucket query needs le="<threshold seconds>", e.g. le="2.5"; got ${goodQuery.trim()}`);
  const seconds = Number(le.value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`${where}: le="${le.value}" is not a positive number of seconds`);
  return seconds;
}
