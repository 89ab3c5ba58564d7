import type { Evidence, Probe, ProbeAnswer, ProbeContext } from "./probe.js";
import { JaegerClient, PrometheusClient, type JaegerSpan, type JaegerTrace, type TraceSearch } from "./clients/index.js";
import { offset, type Diagnosis, type PathContext, type PathLiveness } from "./diagnosis/diagnosis.js";
import { diagnoseTrace } from "./diagnosis/trace-path.js";
import { DEFAULT_MIN_COVERAGE, measureCoverage, presentEach, type Coverage } from "./load-coverage.js";
import { attributeTime, isErrorSpan, tagValue } from "./trace-analysis.js";
import { QueryError } from "./utils/errors.js";
import { humanMs, iso } from "./utils/times.js";
import { z } from "zod";
import { duration } from "../core/spec-parts.js";
import { parseDuration } from "../core/durations.js";
import { probeKind } from "./probe-kind.js";

export interface TraceProbeOptions {
  service: string;
  operation?: string;
  /** true: the span has error status; false: it has not. */
  error?: boolean;
  minDurationMs?: number;
  tags?: Record<string, string>;
  /** Only traces whose ids the load generator sent (ProbeContext.sentRequests). */
  fromLoad?: boolean;
  /** With fromLoad: the share of the load's answered requests that must reach Jaeger. */
  minCoverage?: number;
}

const SEARCH_LIMIT = 200;
/** Narrowing searches per poll when Jaeger returns a full page; bounds the work of one poll. */
const MAX_PAGES = 5;

/**
 * Traces in Jaeger with a span that matches every criterion, as Jaeger's own search means it.
 * First-seen is when the earliest matching span ended; the evidence names which span took the time.
 */
export class TraceProbe implements Probe {
  readonly signal = "trace" as const;
  readonly visibility = "polled" as const;

  constructor(
    private readonly jaeger: JaegerClient,
    private readonly prometheus: PrometheusClient,
    private readonly options: TraceProbeOptions,
  ) {}

  diagnose(ctx: PathContext): Promise<Diagnosis> {
    const o = this.options;
    const wanted = [
      o.error !== undefined ? (o.error ? "error status" : "no error") : "",
      o.minDurationMs !== undefined ? `a duration of at least ${humanMs(o.minDurationMs)}` : "",
      ...Object.entries(o.tags ?? {}).map(([k, v]) => `${k}=${v}`),
    ]
      .filter(Boolean)
      .join(", ");
    return diagnoseTrace(
      this.prometheus,
      this.jaeger,
      {
        service: o.service,
        ...(o.operation ? { operation: o.operation } : {}),
        wanted: wanted || "the criteria",
        matches: (trace, span) => this.spanMatches(trace, span),
      },
      ctx,
    );
  }

  async pathAlive(ctx: PathContext): Promise<PathLiveness> {
    const o = this.options;
    const traces = await this.jaeger.findTraces({
      service: o.service,
      ...(o.operation ? { operation: o.operation } : {}),
      start: ctx.from,
      end: ctx.to,
      limit: 20,
    });
    const what = `${o.service}${o.operation ? `/${o.operation}` : ""}`;
    if (traces.length > 0)
      return { alive: true, detail: `Jaeger holds ${traces.length >= 20 ? "at least 20" : traces.length} traces of ${what} from the window` };
    const diagnosis = await this.diagnose(ctx);
    return {
      alive: false,
      detail: `no trace of ${what} reached Jaeger between ${offset(ctx.from, ctx.origin)} and ${offset(ctx.to, ctx.origin)}: a matching one could not have been seen either; ${diagnosis.summary}`,
    };
  }

  async coverage(ctx: ProbeContext, from: Date, to: Date): Promise<Coverage | undefined> {
    if (!this.options.fromLoad || !ctx.sentRequests) return undefined;
    return measureCoverage(ctx.sentRequests(), from, to, this.options.minCoverage ?? DEFAULT_MIN_COVERAGE, (ids) =>
      presentEach(ids, async (id) => (await this.jaeger.getTrace(id)) !== undefined),
    );
  }

  describe(): string {
    const o = this.options;
    const parts = [`service ${o.service}`];
    if (o.operation) parts.push(`operation ${o.operation}`);
    if (o.error !== undefined) parts.push(o.error ? "error status" : "no error");
    if (o.minDurationMs !== undefined) parts.push(`at least ${humanMs(o.minDurationMs)}`);
    for (const [k, v] of Object.entries(o.tags ?? {})) parts.push(`${k}=${v}`);
    return `trace with a span of ${parts.join(", ")}${o.fromLoad ? ", among the trace ids the load sent" : ""}`;
  }

  async observe(ctx: ProbeContext): Promise<ProbeAnswer> {
    const now = new Date();
    let sent: Set<string> | undefined;
    if (this.options.fromLoad) {
      if (!ctx.sentRequests) throw new QueryError("trace probe with fromLoad: the run gave no access to the trace ids the load generator sent");
      sent = new Set(
        ctx
          .sentRequests()
          .filter((s) => s.sentAt >= ctx.since)
          .map((s) => s.traceId),
      );
    }
    const search = this.search(ctx.since, now);
    const query = `Jaeger /api/traces ${JSON.stringify({ ...search, start: iso(ctx.since), end: iso(now) })}`;
    if (sent?.size === 0) return this.missed({ query, result: `the load sent no traced requests since ${iso(ctx.since)}` });

    const matches: { trace: JaegerTrace; span: JaegerSpan }[] = [];
    let returned = 0;
    let end = now;
    for (let page = 0; page < MAX_PAGES; page++) {
      const traces = await this.jaeger.findTraces({ ...search, end });
      returned += traces.length;
      for (const trace of traces) {
        if (sent && !sent.has(trace.traceID)) continue;
        if (matches.some((m) => m.trace.traceID === trace.traceID)) continue;
        const span = earliest(trace.spans.filter((s) => this.spanMatches(trace, s) && s.startTime >= ctx.since.getTime() * 1000));
        if (span) matches.push({ trace, span });
      }
      // A full page may have left out older traces; look again before the oldest one returned.
      if (traces.length < SEARCH_LIMIT) break;
      const oldest = Math.min(...traces.map((t) => earliest(t.spans)?.startTime ?? Infinity));
      if (!Number.isFinite(oldest) || oldest <= ctx.since.getTime() * 1000) break;
      end = new Date(Math.floor(oldest / 1000));
    }
    if (matches.length === 0) {
      const pool = sent ? `; none of the ${sent.size} trace ids the load sent` : "";
      return this.missed({ query, result: `no matching span since ${iso(ctx.since)} (Jaeger returned ${returned} traces for the search${pool})` });
    }
    // A span is evidence once it has ended (a 5 s query is not seen at its start), so first-seen is
    // the earliest end among the matches, not the earliest start.
    const endOf = (span: JaegerSpan) => span.startTime + span.duration;
    matches.sort((a, b) => endOf(a.span) - endOf(b.span));
    const first = matches[0]!;
    const at = new Date(Math.floor(endOf(first.span) / 1000));
    const attribution = attributeTime(first.trace);
    const fromLoad = sent ? `; ${matches.length} of the ${sent.size} trace ids the load sent match` : `; ${matches.length} matching traces`;
    const result =
      `trace ${first.trace.traceID}: ${first.span.operationName} ended ${iso(at)}, ${humanMs(first.span.duration / 1000)}${isErrorSpan(first.span) ? ", error" : ""}` +
      `${attribution ? `; ${attribution.summary}` : ""}${fromLoad}`;
    return {
      seen: {
        at,
        evidence: { query, result, url: `${this.jaeger.baseUrl}/trace/${first.trace.traceID}`, traceIds: matches.slice(0, 20).map((m) => m.trace.traceID) },
      },
    };
  }

  private search(since: Date, end: Date): TraceSearch {
    const o = this.options;
    // Jaeger v2 keeps span status out of its tag search ("error" and "otel.status_code" match
    // nothing), so error status is judged on the spans returned, never sent as a search tag.
    const tags = o.tags ?? {};
    return {
      service: o.service,
      ...(o.operation ? { operation: o.operation } : {}),
      ...(Object.keys(tags).length ? { tags } : {}),
      ...(o.minDurationMs !== undefined ? { minDuration: `${o.minDurationMs}ms` } : {}),
      start: since,
      end,
      limit: SEARCH_LIMIT,
    };
  }

  private spanMatches(trace: JaegerTrace, span: JaegerSpan): boolean {
    const o = this.options;
    if (trace.processes[span.processID]?.serviceName !== o.service) return false;
    if (o.operation && span.operationName !== o.operation) return false;
    if (o.error !== undefined && isErrorSpan(span) !== o.error) return false;
    if (o.minDurationMs !== undefined && span.duration < o.minDurationMs * 1000) return false;
    return Object.entries(o.tags ?? {}).every(([k, v]) => String(tagValue(span, k)) === v);
  }

  private missed(evidence: Evidence): ProbeAnswer {
    return { miss: evidence };
  }
}

function earliest(spans: JaegerSpan[]): JaegerSpan | undefined {
  return spans.reduce<JaegerSpan | undefined>((a, s) => (!a || s.startTime < a.startTime ? s : a), undefined);
}

export const TraceProbeSpec = z.strictObject({
  service: z.string().min(1),
  operation: z.string().optional(),
  error: z.boolean().optional(),
  minDuration: duration.optional(),
  tags: z.record(z.string(), z.string()).optional(),
  /** Only traces whose ids the load generator sent. */
  fromLoad: z.boolean().optional(),
  /** With fromLoad: the share of the load's answered requests that must reach Jaeger (default 0.8); set it to your sampling rate. */
  minCoverage: z.number().min(0).max(1).optional(),
});

export const traceProbeKind = probeKind({
  key: "trace",
  signal: "trace",
  summary: "traces by service, operation, tags, error or min duration; or the load's own trace ids, with their coverage (Jaeger)",
  spec: TraceProbeSpec,
  kinds: ["appears", "stays-absent"],
  build(t, { endpoints }) {
    return new TraceProbe(
      new JaegerClient(endpoints.jaeger, 5000, endpoints.access?.jaeger),
      new PrometheusClient(endpoints.prometheus, 5000, endpoints.access?.prometheus),
      {
        service: t.service,
        ...(t.operation ? { operation: t.operation } : {}),
        ...(t.error !== undefined ? { error: t.error } : {}),
        ...(t.minDuration ? { minDurationMs: parseDuration(t.minDuration) } : {}),
        ...(t.tags ? { tags: t.tags } : {}),
        ...(t.fromLoad ? { fromLoad: true } : {}),
        ...(t.minCoverage !== undefined ? { minCoverage: t.minCoverage } : {}),
      },
    );
  },
});
