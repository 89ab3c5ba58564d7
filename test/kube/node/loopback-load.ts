/** One request of the test's load: when it was sent, how long it took, and what came back. */
export interface LoadResult {
  at: number;
  ms: number;
  ok: boolean;
  /** HTTP status, or the client-side error ("fetch failed: ECONNRESET", "timeout"). */
  outcome: string;
}

export interface LoadSummary {
  sent: number;
  failed: number;
  /** Failed requests by outcome, e.g. { "503": 2, "timeout": 1 }. */
  failures: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const LOOPBACK = /^http:\/\/127\.\d+\.\d+\.\d+(:\d+)?\//;

/**
 * A fixed-rate GET loop to a URL on 127.0.0.1, bounded in count and time, until stop() or the
 * bound: the load of the real-node test. Each request carries its own timeout, so a hung
 * connection counts as lost instead of stalling the loop.
 */
export function startLoopbackLoad(url: string, opts: { ratePerSecond: number; maxSeconds: number; timeoutMs?: number }): { stop(): Promise<LoadResult[]> } {
  if (!LOOPBACK.test(url)) throw new Error(`load: ${url} is not on 127.0.0.0/8; the test's load goes to loopback only`);
  const results: LoadResult[] = [];
  const inflight = new Set<Promise<void>>();
  const limit = opts.ratePerSecond * opts.maxSeconds;
  const one = async () => {
    const at = Date.now();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 3000) });
      await res.arrayBuffer();
      results.push({ at, ms: Date.now() - at, ok: res.status === 200, outcome: String(res.status) });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const outcome = e.name === "TimeoutError" ? "timeout" : `${e.message}${e.cause?.code ? `: ${e.cause.code}` : ""}`;
      results.push({ at, ms: Date.now() - at, ok: false, outcome });
    }
  };
  let sent = 0;
  const timer = setInterval(() => {
    if (sent >= limit) return clearInterval(timer);
    sent++;
    const p = one().finally(() => inflight.delete(p));
    inflight.add(p);
  }, 1000 / opts.ratePerSecond);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inflight);
      return results.sort((a, b) => a.at - b.at);
    },
  };
}

export function summarize(results: LoadResult[]): LoadSummary {
  const failures: Record<string, number> = {};
  for (const r of results.filter((x) => !x.ok)) failures[r.outcome] = (failures[r.outcome] ?? 0) + 1;
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor((ms.length * p) / 100))] ?? 0;
  return { sent: results.length, failed: results.filter((r) => !r.ok).length, failures, p50Ms: pct(50), p99Ms: pct(99), maxMs: ms.at(-1) ?? 0 };
}
