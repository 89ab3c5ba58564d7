import type { Probe, ProbeAnswer, ProbeContext } from "./probe.js";
import type { PrometheusClient } from "./clients/index.js";
import type { LogBackend, LogRecord } from "./log-backend.js";
import { offset, type Diagnosis, type PathContext, type PathLiveness } from "./diagnosis/diagnosis.js";
import { diagnoseLog, serviceOfQuery } from "./diagnosis/log-path.js";
import { DEFAULT_MIN_COVERAGE, measureCoverage, type Coverage } from "./load-coverage.js";
import { QueryError } from "./utils/errors.js";
import { iso } from "./utils/times.js";
import { z } from "zod";
import { PrometheusClient as Prometheus } from "./clients/index.js";
import { logBackendFor } from "./log-backends.js";
import { probeKind } from "./probe-kind.js";

export interface LogProbeOptions {
  /** LogsQL for VictoriaLogs (LogQL's common subset is translated), LogQL for Loki. */
  query: string;
  /** Seen once this many lines matched; first-seen is the time of the line that made the count. */
  minLines?: number;
  /** Only lines that carry a trace id count. */
  withTraceId?: boolean;
  /** Only lines carrying a trace id the load generator sent count. */
  fromLoad?: boolean;
  /** With fromLoad: the share of the load's answered requests whose trace id must appear in the store. */
  minCoverage?: number;
}

/** Enough to count lines and correlate trace ids without dragging a whole incident's logs over. */
const FETCH_LIMIT = 1000;

/** Log lines matching a query, judged by each record's own timestamp. */
export class LogProbe implements Probe {
  readonly signal = "log" as const;
  readonly visibility = "polled" as const;

  constructor(
    private readonly backend: LogBackend,
    private readonly prometheus: PrometheusClient,
    private readonly options: LogProbeOptions,
  ) {}

  diagnose(ctx: PathContext): Promise<Diagnosis> {
    return diagnoseLog(this.prometheus, this.backend, this.options.query, ctx, {
      ...(this.options.withTraceId ? { traceId: true } : {}),
      ...(this.options.fromLoad ? { fromLoad: true } : {}),
    });
  }

  async pathAlive(ctx: PathContext): Promise<PathLiveness> {
    const service = serviceOfQuery(this.options.query);
    const lines = await this.backend.search(this.backend.allLines(service), { start: ctx.from, end: ctx.to, limit: 20 });
    const who = service ? `of ${service}` : "at all";
    if (lines.length > 0)
      return { alive: true, detail: `${this.backend.name} holds ${lines.length >= 20 ? "at least 20" : lines.length} lines ${who} from the window` };
    const diagnosis = await this.diagnose(ctx);
    return {
      alive: false,
      detail: `no line ${who} reached ${this.backend.name} between ${offset(ctx.from, ctx.origin)} and ${offset(ctx.to, ctx.origin)}: a matching one could not have been seen either; ${diagnosis.summary}`,
    };
  }

  async coverage(ctx: ProbeContext, from: Date, to: Date): Promise<Coverage | undefined> {
    if (!this.options.fromLoad || !ctx.sentRequests) return undefined;
    // Records may carry their own time a little before the request is answered; look a second either side.
    const window = { start: new Date(from.getTime() - 1000), end: new Date(Date.now()) };
    return measureCoverage(ctx.sentRequests(), from, to, this.options.minCoverage ?? DEFAULT_MIN_COVERAGE, (ids) => this.backend.traceIdsPresent(ids, window));
  }

  describe(): string {
    const n = this.options.minLines ?? 1;
    const count = n > 1 ? `at least ${n} log lines` : "a log line";
    return `${count}${this.options.fromLoad ? " of the load's requests" : this.options.withTraceId ? " with a trace id" : ""} matching ${this.backend.language} ${this.options.query}`;
  }

  async observe(ctx: ProbeContext): Promise<ProbeAnswer> {
    const now = new Date();
    const minLines = this.options.minLines ?? 1;
    const sent = this.backend.prepare(this.options.query);
    let loadIds: Set<string> | undefined;
    if (this.options.fromLoad) {
      if (!ctx.sentRequests) throw new QueryError("log probe with fromLoad: the run gave no access to the trace ids the load generator sent");
      loadIds = new Set(ctx.sentRequests().map((s) => s.traceId));
    }
    const matching = (await this.backend.search(this.options.query, { start: ctx.since, end: now, limit: Math.max(minLines, FETCH_LIMIT) })).filter(
      (r) => r.time >= ctx.since,
    );
    const records = matching.filter(
      (r) => (!this.options.withTraceId || r.traceId !== undefined) && (!loadIds || (r.traceId !== undefined && loadIds.has(r.traceId))),
    );
    const evidence = { query: `${this.backend.name} ${sent} [${iso(ctx.since)}, ${iso(now)}]`, url: this.backend.exploreUrl(this.options.query) };
    if (records.length < minLines) {
      // Lines that arrived without trace context point at the defect, so they are named.
      const bare = matching.filter((r) => r.traceId === undefined);
      const untraced = bare.length ? `; ${bare.length} matching lines carry no trace id, e.g. ${show(bare[0]!)}` : "";
      return {
        miss: {
          ...evidence,
          result:
            (records.length === 0
              ? `no matching line${this.options.withTraceId ? " with a trace id" : ""} since ${iso(ctx.since)}`
              : `${records.length} matching lines, fewer than ${minLines}; first: ${show(records[0]!)}`) + untraced,
        },
      };
    }
    const decisive = records[minLines - 1]!;
    const traceIds = [...new Set(records.map((r) => r.traceId).filter((t): t is string => t !== undefined))];
    const sentIds = ctx.sentRequests ? new Set(ctx.sentRequests().map((s) => s.traceId)) : undefined;
    const fromLoad = sentIds ? `; ${traceIds.filter((t) => sentIds.has(t)).length} of their trace ids were sent by the load` : "";
    const counted = records.length >= FETCH_LIMIT ? `at least ${records.length}` : String(records.length);
    const result = `${counted} matching lines since ${iso(ctx.since)}; first: ${show(records[0]!)}${minLines > 1 ? `; line ${minLines} at ${iso(decisive.time)}` : ""}; ${traceIds.length} distinct trace ids${fromLoad}`;
    return { seen: { at: decisive.time, evidence: { ...evidence, result, ...(traceIds.length ? { traceIds: traceIds.slice(0, 20) } : {}) } } };
  }
}

function show(record: LogRecord): string {
  const line = record.line.length > 300 ? `${record.line.slice(0, 300)}…` : record.line;
  return `${iso(record.time)}${record.service ? ` [${record.service}]` : ""}${record.traceId ? ` trace_id=${record.traceId}` : ""} ${JSON.stringify(line)}`;
}

export const LogProbeSpec = z.union([
  z.string().min(1).describe("a LogsQL (VictoriaLogs) or LogQL (Loki) query"),
  z.strictObject({
    query: z.string().min(1),
    minLines: z.number().int().positive().max(100_000).optional(),
    withTraceId: z.boolean().optional(),
    /** Only lines carrying a trace id the load generator sent. */
    fromLoad: z.boolean().optional(),
    /** With fromLoad: the share of the load's answered requests whose trace id must appear in the store (default 0.8). */
    minCoverage: z.number().min(0).max(1).optional(),
  }),
]);

export const logProbeKind = probeKind({
  key: "log",
  signal: "log",
  summary: "a LogsQL (VictoriaLogs) or LogQL (Loki) query, optionally with trace ids or the load's own requests (log store)",
  spec: LogProbeSpec,
  kinds: ["appears", "stays-absent"],
  build(spec, { endpoints }) {
    return new LogProbe(
      logBackendFor(endpoints),
      new Prometheus(endpoints.prometheus, 5000, endpoints.access?.prometheus),
      typeof spec === "string" ? { query: spec } : spec,
    );
  },
});
