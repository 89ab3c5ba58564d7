import type { Endpoints } from "../../core/environment.js";
import type { Signal } from "../../core/report-schema.js";
import type { LoadRequest } from "../load-coverage.js";

/**
 * One hop of a signal's path through the stack under test, upstream first: for a metric the
 * target, its scrape, a recording rule and the query; for an alert the rule, pending, firing,
 * Alertmanager, its route and the receiver; for traces and logs the SDK, the collector's
 * receiver, processors and exporter, and the backend.
 */
export interface Hop {
  hop: string;
  /** reached: the signal got here; stopped: it got no further (the first such hop is where it was lost). */
  status: "reached" | "stopped" | "unknown";
  detail: string;
  at?: Date;
}

export interface Diagnosis {
  hops: Hop[];
  /** The first hop the signal did not get past, when one is known. */
  stoppedAt?: string;
  /** True when the signal was in the backend a human reads (the miss lies in what was asked, not in the pipeline). */
  reachedBackend: boolean;
  /** One line: where it was lost and why. */
  summary: string;
}

/** Was a signal's path alive over a window, so that an absence there means something? */
export interface PathLiveness {
  alive: boolean;
  detail: string;
}

/** A fault of the experiment, as diagnoses see it: what it touched, when, and what it declared it blinds. */
export interface FaultWindow {
  id: string;
  injector: string;
  target?: string;
  from: Date;
  /** Undefined while it is still in place. */
  to?: Date;
  blinds: Signal[];
}

export interface PathContext {
  endpoints: Endpoints;
  /** The expectation's window. */
  from: Date;
  to: Date;
  /** T+ offsets in the words of a diagnosis count from here (the run's start). */
  origin: Date;
  faults: readonly FaultWindow[];
  /** A stretch without data longer than this voids an absence (two scrape intervals by default). */
  maxGapMs: number;
  /** The load's requests, for probes of what its users saw. */
  sentRequests?: () => readonly LoadRequest[];
}

/** Builds a diagnosis from hops in path order: the first hop that stopped is where the signal was lost. */
export function diagnosisOf(hops: Hop[], reachedBackend: boolean): Diagnosis {
  const stopped = hops.find((h) => h.status === "stopped");
  const reached = hops.filter((h) => h.status === "reached");
  const last = reached[reached.length - 1];
  const summary = stopped
    ? `lost at ${stopped.hop}: ${stopped.detail}${last ? ` (last hop reached: ${last.hop})` : ""}`
    : last
      ? `reached ${last.hop}: ${last.detail}`
      : hops.map((h) => `${h.hop}: ${h.detail}`).join("; ") || "no hop could be checked";
  return { hops, ...(stopped ? { stoppedAt: stopped.hop } : {}), reachedBackend, summary };
}

/** "T+1:08.2": offsets a stakeholder can line up with the report's timeline. */
export function offset(at: Date, origin: Date): string {
  const ms = at.getTime() - origin.getTime();
  const sign = ms < 0 ? "-" : "+";
  const abs = Math.abs(ms);
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = ((abs % 60_000) / 1000).toFixed(1).padStart(4, "0");
  return `T${sign}${h > 0 ? `${h}:${String(m).padStart(2, "0")}` : m}:${s}`;
}

/** Faults in place at some point of [from, to] (one rolled back at `from` itself is not). */
export function faultsDuring(faults: readonly FaultWindow[], from: Date, to: Date): FaultWindow[] {
  return faults.filter((f) => f.from.getTime() <= to.getTime() && (f.to === undefined || f.to.getTime() > from.getTime()));
}

/** ", while the experiment's fault variants-locked was in place (the fault's own doing)" */
export function faultNote(faults: readonly FaultWindow[], from: Date, to: Date): string {
  const during = faultsDuring(faults, from, to);
  if (during.length === 0) return "";
  return `, while the experiment's fault ${during.map((f) => f.id).join(", ")} was in place (the fault's own doing)`;
}
