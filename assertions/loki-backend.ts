import type { LokiClient, LokiEntry } from "./clients/index.js";
import { traceIdInLine, validTraceId, type LogBackend, type LogRecord } from "./log-backend.js";

/**
 * Loki (LogQL over /loki/api/v1/query_range). Loki is AGPL and cannot run on this project's
 * machines, so this backend is tested against a stubbed HTTP server only, never a real Loki.
 * Loki 3's OTLP ingestion keeps `trace_id`/`span_id` as structured metadata and turns
 * `service.name` into the stream label `service_name`; older pipelines put them in labels or text.
 */
export class LokiBackend implements LogBackend {
  readonly name = "Loki" as const;
  readonly language = "LogQL" as const;

  constructor(private readonly client: LokiClient) {}

  prepare(query: string): string {
    return query;
  }

  async search(query: string, options: { start: Date; end: Date; limit: number }): Promise<LogRecord[]> {
    const entries = await this.client.queryRange(query, options);
    return entries
      .map(toRecord)
      .sort((a, b) => a.time.getTime() - b.time.getTime())
      .slice(0, options.limit);
  }

  exploreUrl(query: string): string {
    const params = new URLSearchParams({ query, direction: "forward" });
    return `${this.client.baseUrl}/loki/api/v1/query_range?${params.toString()}`;
  }

  allLines(service?: string): string {
    return service ? `{service_name=${JSON.stringify(service)}}` : '{service_name=~".+"}';
  }

  async traceIdsPresent(ids: string[], options: { start: Date; end: Date }): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    // Structured metadata (Loki 3's OTLP) and text both carry the id; a line filter finds either.
    const records = await this.search(`{service_name=~".+"} |~ "${ids.join("|")}"`, { ...options, limit: 5000 });
    const wanted = new Set(ids);
    return new Set(records.flatMap((r) => (r.traceId && wanted.has(r.traceId) ? [r.traceId] : ids.filter((id) => r.line.includes(id)))));
  }
}

function toRecord(entry: LokiEntry): LogRecord {
  const fields = { ...entry.labels, ...entry.metadata };
  // Nanoseconds beyond a double's precision: milliseconds are all a Date holds anyway.
  const record: LogRecord = { time: new Date(Number(entry.ns.slice(0, -6) || "0")), line: entry.line };
  const traceId = validTraceId(fields.trace_id ?? fields.traceID) ?? traceIdInLine(entry.line);
  if (traceId) record.traceId = traceId;
  const spanId = fields.span_id ?? fields.spanID;
  if (spanId && spanId !== "-") record.spanId = spanId;
  if (fields.service_name) record.service = fields.service_name;
  return record;
}
