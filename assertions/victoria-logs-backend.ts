import type { LogEntry, VictoriaLogsClient } from "./clients/index.js";
import { traceIdInLine, validTraceId, type LogBackend, type LogRecord } from "./log-backend.js";
import { logqlToLogsql } from "./logql-to-logsql.js";

/**
 * VictoriaLogs (LogsQL over /select/logsql/query). OTLP logs land with the body in `_msg`, the
 * record time in `_time`, trace context in `trace_id`/`span_id` and resource attributes under
 * their own dotted names (`service.name`).
 */
export class VictoriaLogsBackend implements LogBackend {
  readonly name = "VictoriaLogs" as const;
  readonly language = "LogsQL" as const;

  constructor(private readonly client: VictoriaLogsClient) {}

  /** Experiments may be written in LogQL (the article's Loki); its common subset is translated. */
  prepare(query: string): string {
    return query.trimStart().startsWith("{") ? logqlToLogsql(query) : query;
  }

  async search(query: string, options: { start: Date; end: Date; limit: number }): Promise<LogRecord[]> {
    // Sorted by the store, so `limit` keeps the oldest lines rather than an arbitrary sample.
    const entries = await this.client.query(`${this.prepare(query)} | sort by (_time) | limit ${options.limit}`, options);
    return entries.map(toRecord).sort((a, b) => a.time.getTime() - b.time.getTime());
  }

  exploreUrl(query: string): string {
    return `${this.client.baseUrl}/select/vmui/#/?query=${encodeURIComponent(this.prepare(query))}`;
  }

  allLines(service?: string): string {
    return service ? `service.name:=${JSON.stringify(service)}` : "*";
  }

  async traceIdsPresent(ids: string[], options: { start: Date; end: Date }): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const entries = await this.client.query(`trace_id:in(${ids.map((id) => JSON.stringify(id)).join(",")}) | uniq by (trace_id)`, {
      ...options,
      limit: ids.length,
    });
    return new Set(entries.map((e) => validTraceId(e.trace_id)).filter((id): id is string => id !== undefined));
  }
}

function toRecord(entry: LogEntry): LogRecord {
  const line = entry._msg ?? "";
  const traceId = validTraceId(entry.trace_id) ?? traceIdInLine(line);
  const record: LogRecord = { time: new Date(entry._time ?? 0), line };
  if (traceId) record.traceId = traceId;
  if (entry.span_id && entry.span_id !== "-") record.spanId = entry.span_id;
  if (entry["service.name"]) record.service = entry["service.name"];
  return record;
}
