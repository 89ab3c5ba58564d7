import type { Evidence, Observation, Probe, ProbeContext } from "./probe.js";
import type { LogBackend, LogRecord } from "./log-backend.js";
import type { ReportsMisses } from "./utils/miss-evidence.js";
import { iso } from "./utils/times.js";

export interface LogProbeOptions {
  /** LogsQL for VictoriaLogs (LogQL's common subset is translated), LogQL for Loki. */
  query: string;
  /** Seen once this many lines matched; first-seen is the time of the line that made the count. */
  minLines?: number;
  /** Only lines that carry a trace id count. */
  withTraceId?: boolean;
}

/** Enough to count lines and correlate trace ids without dragging a whole incident's logs over. */
const FETCH_LIMIT = 1000;

/** Log lines matching a query, judged by each record's own timestamp. */
export class LogProbe implements Probe, ReportsMisses {
  readonly signal = "log" as const;
  private miss: Evidence | undefined;

  constructor(private readonly backend: LogBackend, private readonly options: LogProbeOptions) {}

  describe(): string {
    const n = this.options.minLines ?? 1;
    const count = n > 1 ? `at least ${n} log lines` : "a log line";
    return `${count}${this.options.withTraceId ? " with a trace id" : ""} matching ${this.backend.language} ${this.options.query}`;
  }

  lastMiss(): Evidence | undefined {
    return this.miss;
  }

  async observe(ctx: ProbeContext): Promise<Observation | undefined> {
    const now = new Date();
    const minLines = this.options.minLines ?? 1;
    const sent = this.backend.prepare(this.options.query);
    const matching = (await this.backend.search(this.options.query, { start: ctx.since, end: now, limit: Math.max(minLines, FETCH_LIMIT) })).filter((r) => r.time >= ctx.since);
    const records = matching.filter((r) => !this.options.withTraceId || r.traceId !== undefined);
    const evidence = { query: `${this.backend.name} ${sent} [${iso(ctx.since)}, ${iso(now)}]`, url: this.backend.exploreUrl(this.options.query) };
    if (records.length < minLines) {
      // Lines that arrived without trace context point at the defect, so they are named.
      const untraced = matching.length > records.length ? `; ${matching.length - records.length} matching lines carry no trace id, e.g. ${show(matching.find((r) => r.traceId === undefined)!)}` : "";
      this.miss = { ...evidence, result: (records.length === 0 ? `no matching line${this.options.withTraceId ? " with a trace id" : ""} since ${iso(ctx.since)}` : `${records.length} matching lines, fewer than ${minLines}; first: ${show(records[0]!)}`) + untraced };
      return undefined;
    }
    const decisive = records[minLines - 1]!;
    const traceIds = [...new Set(records.map((r) => r.traceId).filter((t): t is string => t !== undefined))];
    const loadIds = ctx.sentTraceIds ? new Set(ctx.sentTraceIds().map((s) => s.traceId)) : undefined;
    const fromLoad = loadIds ? `; ${traceIds.filter((t) => loadIds.has(t)).length} of their trace ids were sent by the load` : "";
    const counted = records.length >= FETCH_LIMIT ? `at least ${records.length}` : String(records.length);
    const result = `${counted} matching lines since ${iso(ctx.since)}; first: ${show(records[0]!)}${minLines > 1 ? `; line ${minLines} at ${iso(decisive.time)}` : ""}; ${traceIds.length} distinct trace ids${fromLoad}`;
    return { at: decisive.time, evidence: { ...evidence, result, ...(traceIds.length ? { traceIds: traceIds.slice(0, 20) } : {}) } };
  }
}

function show(record: LogRecord): string {
  const line = record.line.length > 300 ? `${record.line.slice(0, 300)}…` : record.line;
  return `${iso(record.time)}${record.service ? ` [${record.service}]` : ""}${record.traceId ? ` trace_id=${record.traceId}` : ""} ${JSON.stringify(line)}`;
}
