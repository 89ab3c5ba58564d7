import type { Endpoints } from "../core/environment.js";
import type { Evidence, Signal } from "../core/report-schema.js";
import type { Diagnosis, PathContext, PathLiveness } from "./diagnosis/diagnosis.js";
import type { Coverage, LoadRequest } from "./load-coverage.js";

export type { Evidence, Signal } from "../core/report-schema.js";

export interface Observation {
  /** When the signal itself happened by the backend's clock (sample time, span end, log time, notification arrival). */
  at: Date;
  evidence: Evidence;
}

/** What one look found: the signal, or what came back instead. Exactly one is set. */
export type ProbeAnswer = { seen: Observation; miss?: undefined } | { seen?: undefined; miss: Evidence };

export interface ProbeContext {
  endpoints: Endpoints;
  /** Only signals at or after this instant count (the expectation's anchor, or run start). */
  since: Date;
  /** When the run started: a resolution needs the alert or condition to have held since then. */
  runStart?: Date;
  /** Requests the load generator sent, oldest first. */
  sentRequests?: () => readonly LoadRequest[];
}

/**
 * A probe only observes: it returns what it saw, or what came back instead ("nothing yet", with
 * the query and the answer). It throws only when it could not query at all; the runner turns
 * that into `inconclusive`.
 */
export interface Probe {
  readonly signal: Signal;
  /**
   * "signal": the observation's own time is when a person could first have seen it (a stored
   * sample, an alert evaluation, a notification's arrival). "polled": it is when the thing
   * happened (a span's end, a log record's time), and reaching the backend takes longer, so the
   * runner dates visibility by its own polls.
   */
  readonly visibility: "signal" | "polled";
  /** One line for reports, e.g. `job:checkout_api_error_ratio:rate1m > 0.01`. */
  describe(): string;
  observe(ctx: ProbeContext): Promise<ProbeAnswer>;
  /** Where along its path a signal that never showed was lost; called once, on a miss. */
  diagnose?(ctx: PathContext): Promise<Diagnosis>;
  /** Whether the signal's path carried anything over the window, so that its absence means something. */
  pathAlive?(ctx: PathContext): Promise<PathLiveness>;
  /** For probes of the load's own requests: what share of them in [from, to] reached the backend. */
  coverage?(ctx: ProbeContext, from: Date, to: Date): Promise<Coverage | undefined>;
}
