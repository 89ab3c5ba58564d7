import { randomBytes } from "node:crypto";
import axios from "axios";
import type { Endpoints } from "../core/environment.js";
import type { TargetModel } from "../core/target-spec.js";
import { JaegerClient, PrometheusClient, VictoriaLogsClient, type JaegerTrace } from "../assertions/clients/index.js";

export interface PillarCheck {
  pillar: "metrics" | "traces" | "logs";
  ok: boolean;
  seconds: number;
  evidence: string;
}

/** A W3C traceparent whose trace id we choose, so the request's trace can be found by id. */
export function newTraceparent(): { traceId: string; header: string } {
  const traceId = randomBytes(16).toString("hex");
  return { traceId, header: `00-${traceId}-${randomBytes(8).toString("hex")}-01` };
}

async function pollUntil<T>(timeoutMs: number, fn: () => Promise<T | undefined>): Promise<{ value: T | undefined; seconds: number; error?: string }> {
  const started = Date.now();
  let error: string | undefined;
  while (Date.now() - started < timeoutMs) {
    try {
      const value = await fn();
      if (value !== undefined) return { value, seconds: (Date.now() - started) / 1000 };
    } catch (err) {
      error = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { value: undefined, seconds: (Date.now() - started) / 1000, error };
}

function spanSummary(trace: JaegerTrace): string[] {
  return trace.spans.map((s) => `${s.operationName} (${(s.duration / 1000).toFixed(1)} ms)`);
}

/**
 * Sends a few traced requests to the target and looks for them in each real backend: its request
 * count (or its scrape job up) in Prometheus, the trace by the id we chose in Jaeger with the spans
 * its demo: block names, and a log line carrying that trace's id in the log store.
 */
export async function checkStack(endpoints: Endpoints, target: TargetModel, options: { requests?: number; timeoutMs?: number } = {}): Promise<PillarCheck[]> {
  const requests = options.requests ?? 10;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const demo = target.demo ?? { spans: [] };
  const traced = newTraceparent();
  const url = `${endpoints.api}${demo.path ?? target.health}`;
  for (let i = 0; i < requests; i++) {
    const headers = i === 0 ? { traceparent: traced.header } : {};
    await axios.get(url, { headers, proxy: false, timeout: 10_000 });
  }
  const prometheus = new PrometheusClient(endpoints.prometheus, 5000, endpoints.access?.prometheus);
  const jaeger = new JaegerClient(endpoints.jaeger, 5000, endpoints.access?.jaeger);
  const logs = new VictoriaLogsClient(endpoints.logs, 5000, endpoints.access?.logs);

  const metricQuery = demo.metric ?? `up{job="${target.name}"}`;
  const enough = demo.metric ? requests : 1;
  const wanted = demo.spans;
  const [metric, trace, log] = await Promise.all([
    pollUntil(timeoutMs, async () => {
      const samples = await prometheus.query(metricQuery);
      return samples[0] && samples[0].value >= enough ? samples[0].value : undefined;
    }),
    pollUntil(timeoutMs, async () => {
      const t = await jaeger.getTrace(traced.traceId);
      const names = new Set(t?.spans.map((s) => s.operationName));
      return t && wanted.every((w) => names.has(w)) ? t : undefined;
    }),
    pollUntil(timeoutMs, async () => {
      const entries = await logs.query(`trace_id:"${traced.traceId}"`);
      return entries[0];
    }),
  ]);
  return [
    {
      pillar: "metrics",
      ok: metric.value !== undefined,
      seconds: metric.seconds,
      evidence:
        metric.value !== undefined ? `${metricQuery} = ${metric.value}` : `${metricQuery} stayed below ${enough}${metric.error ? `: ${metric.error}` : ""}`,
    },
    {
      pillar: "traces",
      ok: trace.value !== undefined,
      seconds: trace.seconds,
      evidence: trace.value
        ? `trace ${traced.traceId}: ${spanSummary(trace.value).join(", ")}`
        : `trace ${traced.traceId}${wanted.length ? ` with ${wanted.join(", ")}` : ""} not found in ${timeoutMs / 1000} s${trace.error ? `: ${trace.error}` : ""}`,
    },
    {
      pillar: "logs",
      ok: log.value !== undefined,
      seconds: log.seconds,
      evidence: log.value
        ? `log line with trace_id ${traced.traceId}: ${log.value._msg}`
        : `no log line with trace_id ${traced.traceId}${log.error ? `: ${log.error}` : ""}`,
    },
  ];
}
