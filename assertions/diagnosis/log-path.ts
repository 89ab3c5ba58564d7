import type { PrometheusClient } from "../clients/index.js";
import type { LogBackend } from "../log-backend.js";
import { formatValue } from "../utils/comparator.js";
import { collectorHops } from "./collector-hops.js";
import { counterDeltas, total } from "./counter-delta.js";
import { diagnosisOf, offset, type Diagnosis, type Hop, type PathContext } from "./diagnosis.js";

/** How each log store counts what it ingested, in the job env/stack/prometheus.yml scrapes it under. */
const INGEST: Record<LogBackend["name"], { job: string; accepted: string; dropped: string }> = {
  VictoriaLogs: { job: "victoria-logs", accepted: "vl_rows_ingested_total", dropped: "vl_rows_dropped_total" },
  Loki: { job: "loki", accepted: "loki_distributor_lines_received_total", dropped: "loki_discarded_samples_total" },
};

/** The service a log query is about: LogsQL `service.name:"x"` or `service.name:="x"`, LogQL `{service_name="x"}`. */
export function serviceOfQuery(query: string): string | undefined {
  return /service[._]name\s*:?=?\s*"([^"]+)"/.exec(query)?.[1] ?? /service\.name:([^\s"()]+)/.exec(query)?.[1];
}

/**
 * Why no matching log line was found: the collector's hops, the store's own ingestion counters,
 * then what the store answers: lines of the service in the window, and none of them matching.
 */
export async function diagnoseLog(
  prometheus: PrometheusClient,
  backend: LogBackend,
  query: string,
  ctx: PathContext,
  needs: { traceId?: boolean; fromLoad?: boolean } = {},
): Promise<Diagnosis> {
  const hops = await collectorHops(prometheus, "log_records", ctx);
  if (hops.some((h) => h.status === "stopped")) return diagnosisOf(hops, false);
  hops.push(await ingestHop(prometheus, backend, ctx));
  if (hops[hops.length - 1]!.status === "stopped") return diagnosisOf(hops, false);
  const service = serviceOfQuery(query);
  const lines = await backend.search(backend.allLines(service), { start: ctx.from, end: ctx.to, limit: 1000 });
  const who = service ? `of ${service}` : "at all";
  if (lines.length === 0) {
    hops.push({
      hop: `${backend.name} query`,
      status: "stopped",
      detail: `no line ${who} between ${offset(ctx.from, ctx.origin)} and ${offset(ctx.to, ctx.origin)}`,
    });
    return diagnosisOf(hops, false);
  }
  hops.push({ hop: `${backend.name} query`, status: "reached", detail: `${lines.length >= 1000 ? "at least 1000" : lines.length} lines ${who} in the window` });
  if (needs.traceId || needs.fromLoad) {
    // Lines that match but carry no trace id lost their trace context before reaching the store.
    const matching = await backend.search(query, { start: ctx.from, end: ctx.to, limit: 1000 });
    const bare = matching.filter((r) => r.traceId === undefined);
    if (matching.length > 0 && bare.length === matching.length) {
      hops.push({
        hop: "trace context",
        status: "stopped",
        detail: `${matching.length >= 1000 ? "at least 1000" : matching.length} lines match, but none carries a trace id: the logs lost their trace context, so they cannot be tied to the requests`,
      });
      return diagnosisOf(hops, true);
    }
    if (matching.length > 0) {
      hops.push({
        hop: "criteria",
        status: "stopped",
        detail: `${matching.length} lines match ${backend.prepare(query)}, but none carries a trace id the load sent`,
      });
      return diagnosisOf(hops, true);
    }
  }
  hops.push({ hop: "criteria", status: "stopped", detail: `none of them matches ${backend.prepare(query)}` });
  return diagnosisOf(hops, true);
}

async function ingestHop(prometheus: PrometheusClient, backend: LogBackend, ctx: PathContext): Promise<Hop> {
  const { job, accepted, dropped } = INGEST[backend.name];
  const hop = `${backend.name} ingest`;
  const deltas = await counterDeltas(prometheus, `{job="${job}", __name__=~"${accepted}|${dropped}"}`, [], ctx.from, ctx.to);
  if (deltas.length === 0) return { hop, status: "unknown", detail: `${backend.name}'s own metrics are not scraped (no job ${job})` };
  const rows = total(deltas, accepted.replace(/_total$/, ""));
  const lost = total(deltas, dropped.replace(/_total$/, ""));
  if (rows === 0)
    return { hop, status: "stopped", detail: `${backend.name} ingested no log lines during the window${lost ? ` (dropped ${formatValue(lost)})` : ""}` };
  return { hop, status: "reached", detail: `${backend.name} ingested ${formatValue(rows)} lines${lost ? `, dropped ${formatValue(lost)}` : ""}` };
}
