import { VegetaLoad } from "../../../scenarios/vegeta-runner.js";
import { getTemplate } from "../../../core/request-mapping.js";

export interface LoadSummary {
  sent: number;
  failed: number;
  /** Failed requests by Vegeta's error text (client-side: reset, refused, timeout) or HTTP status. */
  failures: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * The project's own load generator (Vegeta, as `slo-harness run` drives it) at a fixed rate to
 * a URL on 127.0.0.1, in the background until stop(), and at most `maxSeconds`: the load of the
 * real-node suite's eviction checks. Each request has its own timeout, so a hung connection
 * counts as lost instead of stalling the load.
 */
export function startBackgroundLoad(
  baseUrl: string,
  path: string,
  opts: { ratePerSecond: number; maxSeconds: number; timeoutMs?: number },
): { stop(): Promise<LoadSummary> } {
  const abort = new AbortController();
  const failures: Record<string, number> = {};
  const load = new VegetaLoad(
    {
      scenario: "steady",
      stages: [{ ratePerSecond: opts.ratePerSecond, durationMs: opts.maxSeconds * 1000 }],
      requests: [getTemplate(path)],
      params: {},
      timeoutMs: opts.timeoutMs ?? 3000,
    },
    {
      baseUrl,
      signal: abort.signal,
      onResult: (r) => {
        if (r.code !== 0 && r.code < 500) return;
        const why = r.error ? r.error.replace(/^.*: /, "") : String(r.code);
        failures[why] = (failures[why] ?? 0) + 1;
      },
    },
  );
  const running = load.run();
  return {
    stop: async () => {
      abort.abort();
      await running;
      const r = load.collector.result("steady", baseUrl);
      return {
        sent: r.requests,
        failed: r.errors,
        failures,
        p50Ms: Math.round(r.latency.p50),
        p99Ms: Math.round(r.latency.p99),
        maxMs: Math.round(r.latency.max),
      };
    },
  };
}
