/** One log record, whatever store it came from. */
export interface LogRecord {
  /** The record's own timestamp (VictoriaLogs `_time`, Loki's entry timestamp). */
  time: Date;
  line: string;
  traceId?: string;
  spanId?: string;
  service?: string;
}

/** A log store the log probe can ask, in that store's query language. */
export interface LogBackend {
  readonly name: "VictoriaLogs" | "Loki";
  readonly language: "LogsQL" | "LogQL";
  /** The query as it will be sent, e.g. after translating LogQL's common subset to LogsQL. */
  prepare(query: string): string;
  /** Records in [start, end], oldest first, at most `limit`. */
  search(query: string, options: { start: Date; end: Date; limit: number }): Promise<LogRecord[]>;
  /** A link to the query in the store's UI. */
  exploreUrl(query: string): string;
  /** A query for every line of a service (of every service when undefined), to tell "no logs" from "none matching". */
  allLines(service?: string): string;
  /** Which of these trace ids appear on lines in [start, end]. */
  traceIdsPresent(ids: string[], options: { start: Date; end: Date }): Promise<Set<string>>;
}

/** A W3C trace id, not a placeholder: loggers write "-" or zeros outside a span. */
export function validTraceId(id: string | undefined): string | undefined {
  const lower = id?.toLowerCase();
  return lower && /^[0-9a-f]{32}$/.test(lower) && !/^0+$/.test(lower) ? lower : undefined;
}

const TRACE_ID_IN_LINE = /\btrace_id[=:]\s*"?([0-9a-f]{32})\b/i;

/** Lines written with the trace id in the text (e.g. the API's stderr format `trace_id=...`). */
export function traceIdInLine(line: string): string | undefined {
  return validTraceId(TRACE_ID_IN_LINE.exec(line)?.[1]);
}
