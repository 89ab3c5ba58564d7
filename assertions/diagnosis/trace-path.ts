import type { JaegerClient, JaegerSpan, JaegerTrace, PrometheusClient } from "../clients/index.js";
import { formatValue } from "../utils/comparator.js";
import { similarNames } from "../../core/similar-names.js";
import { humanMs } from "../utils/times.js";
import { collectorHops } from "./collector-hops.js";
import { counterDeltas, total } from "./counter-delta.js";
import { diagnosisOf, offset, type Diagnosis, type Hop, type PathContext } from "./diagnosis.js";

/** env/stack/prometheus.yml scrapes Jaeger's own telemetry (it is an OpenTelemetry Collector distribution) under this job. */
export const JAEGER_JOB = "jaeger";

export interface TraceCriteria {
  service: string;
  operation?: string;
  /** What a matching span must be, in words: "error status", "at least 2.0 s". */
  wanted: string;
  matches: (trace: JaegerTrace, span: JaegerSpan) => boolean;
}

/**
 * Why no matching trace was found: the collector's hops, then Jaeger's own receiver, then what
 * Jaeger can answer (the service, the operation, traces of both in the window, and which of the
 * criteria none of them met).
 */
export async function diagnoseTrace(prometheus: PrometheusClient, jaeger: JaegerClient, criteria: TraceCriteria, ctx: PathContext): Promise<Diagnosis> {
  const hops = await collectorHops(prometheus, "spans", ctx);
  if (hops.some((h) => h.status === "stopped")) return diagnosisOf(hops, false);
  hops.push(await jaegerIngestHop(prometheus, ctx));
  if (hops[hops.length - 1]!.status === "stopped") return diagnosisOf(hops, false);

  const services = await jaeger.services();
  if (!services.includes(criteria.service)) {
    const near = similarNames(criteria.service, services);
    hops.push({
      hop: "Jaeger query",
      status: "stopped",
      detail: `Jaeger knows no service ${criteria.service} (services: ${services.join(", ") || "none"}${near.length ? `; similar: ${near.join(", ")}` : ""})`,
    });
    return diagnosisOf(hops, false);
  }
  if (criteria.operation) {
    const operations = await jaeger.operations(criteria.service);
    if (!operations.includes(criteria.operation)) {
      hops.push({
        hop: "Jaeger query",
        status: "stopped",
        detail: `${criteria.service} has no span named ${criteria.operation} (its operations: ${operations.slice(0, 12).join(", ") || "none"})`,
      });
      return diagnosisOf(hops, true);
    }
  }
  const traces = await jaeger.findTraces({
    service: criteria.service,
    ...(criteria.operation ? { operation: criteria.operation } : {}),
    start: ctx.from,
    end: ctx.to,
    limit: 200,
  });
  const what = `${criteria.service}${criteria.operation ? `/${criteria.operation}` : ""}`;
  if (traces.length === 0) {
    hops.push({
      hop: "Jaeger query",
      status: "stopped",
      detail: `no trace of ${what} between ${offset(ctx.from, ctx.origin)} and ${offset(ctx.to, ctx.origin)} (the service is known from earlier)`,
    });
    return diagnosisOf(hops, true);
  }
  hops.push({ hop: "Jaeger query", status: "reached", detail: `${traces.length >= 200 ? "at least 200" : traces.length} traces of ${what} in the window` });
  const spans = traces.flatMap((t) =>
    t.spans.filter((s) => t.processes[s.processID]?.serviceName === criteria.service && (!criteria.operation || s.operationName === criteria.operation)),
  );
  const longest = spans.reduce((m, s) => Math.max(m, s.duration), 0);
  hops.push({
    hop: "criteria",
    status: "stopped",
    detail: `none of their ${spans.length} ${criteria.operation ?? ""} spans has ${criteria.wanted} (longest ${humanMs(longest / 1000)})`,
  });
  return diagnosisOf(hops, true);
}

async function jaegerIngestHop(prometheus: PrometheusClient, ctx: PathContext): Promise<Hop> {
  const deltas = await counterDeltas(
    prometheus,
    `{job="${JAEGER_JOB}", __name__=~"otelcol_(receiver_(accepted|refused)|exporter_(sent|send_failed))_spans(_total)?"}`,
    [],
    ctx.from,
    ctx.to,
  );
  if (deltas.length === 0) return { hop: "Jaeger ingest", status: "unknown", detail: `Jaeger's own metrics are not scraped (no job ${JAEGER_JOB})` };
  const accepted = total(deltas, "receiver_accepted_spans");
  const refused = total(deltas, "receiver_refused_spans");
  const stored = total(deltas, "exporter_sent_spans");
  const failed = total(deltas, "exporter_send_failed_spans");
  if (accepted === 0)
    return {
      hop: "Jaeger ingest",
      status: "stopped",
      detail: `Jaeger's receiver accepted no spans during the window${refused ? ` (refused ${formatValue(refused)})` : ""}`,
    };
  if (failed > 0.01 * (stored + failed))
    return { hop: "Jaeger ingest", status: "stopped", detail: `Jaeger accepted ${formatValue(accepted)} spans but failed to store ${formatValue(failed)}` };
  return { hop: "Jaeger ingest", status: "reached", detail: `Jaeger accepted ${formatValue(accepted)} spans and stored ${formatValue(stored)}` };
}
