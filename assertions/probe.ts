import type { Endpoints } from "../env/environment.js";

export type Signal = "metric" | "trace" | "log" | "event" | "alert" | "monitoring";

/** What a verdict rests on: what was asked and what came back. */
export interface Evidence {
  /** The query as sent: PromQL, LogsQL/LogQL, a Jaeger search, an alert selector. */
  query: string;
  /** What came back, summarised: a value, a trace id and its slowest span, a log line, a notification. */
  result: string;
  /** A link a person can follow, e.g. the trace in Jaeger's UI. */
  url?: string;
  /** Trace ids the evidence names, so reports can link and correlate them. */
  traceIds?: string[];
}

export interface Observation {
  /** When the signal itself happened by the backend's clock (sample time, span start, log time, notification arrival). */
  at: Date;
  evidence: Evidence;
}

export interface ProbeContext {
  endpoints: Endpoints;
  /** Only signals at or after this instant count (the expectation's anchor, or run start). */
  since: Date;
  /** Trace ids the load generator sent, newest last. */
  sentTraceIds?: () => readonly { traceId: string; sentAt: Date }[];
}

/**
 * A probe only observes: it returns what it saw, or undefined for "nothing yet".
 * It throws only when it could not query at all; the runner turns that into `inconclusive`.
 */
export interface Probe {
  readonly signal: Signal;
  /** One line for reports, e.g. `job:genomics_api_error_ratio:rate1m > 0.01`. */
  describe(): string;
  observe(ctx: ProbeContext): Promise<Observation | undefined>;
}
