import type { LoadResult } from "../../core/report-schema.js";
import type { ClientErrorClass, SloDefinition } from "./slo-definition.js";

/** Events the load generator saw in one time bucket, classified against one SLO. */
export interface ClientBucket {
  /** Bucket start, ms since the epoch. */
  t: number;
  total: number;
  bad: number;
}

/** One request as the load generator recorded it. */
export interface ClientRequest {
  /** When it was sent, ms since the epoch. */
  at: number;
  durationMs: number;
  /** HTTP status; 0 when no response came (timeout, connection refused). */
  status: number;
}

/**
 * 5xx: what the server counts; any-failure adds requests that got no answer (timeouts,
 * resets), which users see and the server never counts; non-2xx also counts 3xx and 4xx.
 */
export function isClientError(status: number, errors: ClientErrorClass): boolean {
  if (errors === "5xx") return status >= 500;
  if (errors === "non-2xx") return status < 200 || status >= 300;
  return status === 0 || status >= 500;
}

/** Per-second buckets from raw requests: errors by the SLO's client error class, or slowness for a latency SLI. */
export function bucketsFromRequests(requests: readonly ClientRequest[], slo: SloDefinition, bucketMs = 1000): ClientBucket[] {
  const byBucket = new Map<number, ClientBucket>();
  for (const r of requests) {
    const t = Math.floor(r.at / bucketMs) * bucketMs;
    const b = byBucket.get(t) ?? { t, total: 0, bad: 0 };
    b.total++;
    const bad = slo.sli.kind === "latency" ? r.status === 0 || r.durationMs > slo.sli.thresholdSeconds * 1000 : isClientError(r.status, slo.clientErrors);
    if (bad) b.bad++;
    byBucket.set(t, b);
  }
  return [...byBucket.values()].sort((a, b) => a.t - b.t);
}

/**
 * Buckets from the load result's per-second samples, which count the load tool's own errors.
 * A latency SLI needs each request's duration, which the samples do not keep: undefined.
 */
export function bucketsFromLoad(load: LoadResult, slo: SloDefinition): ClientBucket[] | undefined {
  if (slo.sli.kind === "latency") return undefined;
  return load.samples.map((s) => ({ t: Date.parse(s.t), total: s.requests, bad: s.errors }));
}

/** Events with a bucket start in [from, to). */
export function sumBuckets(buckets: readonly ClientBucket[], from: number, to: number): { total: number; bad: number } {
  let total = 0;
  let bad = 0;
  for (const b of buckets) {
    if (b.t < from || b.t >= to) continue;
    total += b.total;
    bad += b.bad;
  }
  return { total, bad };
}
