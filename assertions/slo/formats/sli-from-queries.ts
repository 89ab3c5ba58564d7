import type { LatencySli, RatioSli } from "../slo-definition.js";
import { latencyThreshold } from "../sli-selectors.js";
import { requireWindow } from "../utils/slo-fields.js";

interface EventQueries {
  good?: string;
  bad?: string;
  total: string;
}

/**
 * Good (or bad) over total events. A good query over a histogram bucket is a latency SLI, with the
 * bucket's `le` as its threshold, so the load's own requests can be judged by the same bound.
 * `where(part)` names the field a query came from, for messages.
 */
export function sliFromQueries(queries: EventQueries, where: (part: keyof EventQueries) => string): RatioSli | LatencySli {
  const totalQuery = requireWindow(queries.total, where("total"));
  if (queries.bad !== undefined) return { kind: "ratio", badQuery: requireWindow(queries.bad, where("bad")), totalQuery };
  const goodQuery = requireWindow(queries.good!, where("good"));
  const threshold = latencyThreshold(goodQuery, where("good"));
  if (threshold !== undefined) return { kind: "latency", goodQuery, totalQuery, thresholdSeconds: threshold };
  return { kind: "ratio", goodQuery, totalQuery };
}
