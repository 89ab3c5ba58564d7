import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { RunnerMerge } from "../scenarios/distributed/runner-merge.js";

const RUNNERS = 3;
const PER_RUNNER = 100_000;
const BATCH = 10_000;

/** A result line as `vegeta encode --to json` writes it in a runner's log, with its own trace id. */
function resultLine(runner: number, seq: number, at: number): string {
  const traceId = randomBytes(16).toString("hex");
  return JSON.stringify({
    attack: "steady-1",
    seq,
    code: seq % 50 === 0 ? 503 : 200,
    timestamp: new Date(at).toISOString(),
    latency: 2_000_000 + ((seq * 7919 + runner) % 40_000_000),
    bytes_out: 0,
    bytes_in: 120,
    error: "",
    body: null,
    method: "GET",
    url: `http://genomics-api.genomics.svc.cluster.local:8000/analysis/P000${seq % 500}?slo_harness_trace=${traceId}`,
    headers: { "Content-Type": ["application/json"] },
  });
}

/**
 * Issue 21's figure: the harness's memory and time to merge the runners' streams. Lines are merged
 * as they come and not kept; what stays per request is what local load keeps too (its latency, its
 * second's bucket, and its trace id for `fromLoad` probes), so the heap grows with requests, not bytes of log.
 */
export async function benchRunnerMerge(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const merge = new RunnerMerge(RUNNERS, PER_RUNNER, () => undefined);
  let ms = 0;
  let logBytes = 0;
  // In batches made outside the timing, so neither the time nor the heap counts the log's text.
  for (let from = 0; from < PER_RUNNER; from += BATCH) {
    const batch = Array.from({ length: RUNNERS }, (_, r) =>
      Array.from({ length: BATCH }, (_, i) => resultLine(r, from + i, Date.UTC(2026, 0, 1) + (from + i) * 10)),
    );
    const started = performance.now();
    // Round-robin, as interleaved log streams arrive.
    for (let i = 0; i < BATCH; i++) for (let r = 0; r < RUNNERS; r++) merge.line(r, batch[r]![i]!);
    ms += performance.now() - started;
    logBytes += batch.flat().reduce((sum, l) => sum + l.length + 1, 0);
  }
  gc?.();
  const retained = process.memoryUsage().heapUsed - heapBefore;
  const total = merge.collector.totals().requests;
  console.log(
    `${RUNNERS} runners × ${PER_RUNNER} results (${(logBytes / 1048576).toFixed(0)} MiB of log): merged in ${(ms / 1000).toFixed(2)} s (${Math.round(total / (ms / 1000))} lines/s); heap kept ${(retained / 1048576).toFixed(1)} MiB, ${Math.round(retained / total)} B a request${gc ? "" : " (no --expose-gc: includes garbage)"}`,
  );
}
