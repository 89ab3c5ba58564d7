import type { Endpoints } from "../env/environment.js";
import type { ExpectationResult } from "../runner/report-schema.js";
import type { Timeline } from "../runner/timeline.js";
import type { Evidence, Observation, Probe, ProbeContext } from "./probe.js";
import type { MonitoringStatus } from "./monitoring-status.js";
import { BlindnessTracker } from "./blindness-tracker.js";
import { decide, type ExpectationKind, type PollRecord } from "./verdict-rules.js";
import { errorMessage, isPermanentError } from "./utils/errors.js";
import { lastMissOf } from "./utils/miss-evidence.js";
import { nextPollDelay } from "./utils/poll-pacing.js";
import { iso, sleep } from "./utils/times.js";
import { parseWithin } from "./utils/within.js";

export interface ExpectationPlan {
  def: { id: string; kind: ExpectationKind; within: string; requiresMonitoring?: boolean };
  probe: Probe;
  /** Resolves when the anchor event happens (fault start, ...), or undefined if it never does. */
  anchor: () => Promise<Date | undefined>;
  /** For the report, e.g. "60s after pool-exhausted.start". */
  deadlineLabel: string;
  /** The deadline's distance from the anchor when the caller has parsed `within` already. */
  withinMs?: number;
  /** Steady-state checks: a condition already true at the anchor passes instead of being inconclusive. */
  allowPreexisting?: boolean;
}

export interface ExpectationContext {
  endpoints: Endpoints;
  timeline: Timeline;
  /** Between polls while the backend answers; default 500 ms. Stretched for slow polls (poll-pacing.ts). */
  pollIntervalMs?: number;
  /** Longest gap between polls however slow they are; default 5 s. */
  maxPollGapMs?: number;
  abortSignal?: AbortSignal;
  /** Blindness check, consulted for probes of other signals when def.requiresMonitoring. */
  monitoring?: () => Promise<MonitoringStatus>;
  sentTraceIds?: ProbeContext["sentTraceIds"];
  /** Polling goes on this long past the deadline for signals that happened in time but were still being ingested; default 5 s. */
  ingestGraceMs?: number;
  /** Default 10 s, two scrape intervals of the local stack. */
  maxBlindGapMs?: number;
  /** Default 5 s. */
  monitoringIntervalMs?: number;
  /** Ceiling of the retry backoff; default 5 s. */
  maxBackoffMs?: number;
}

/**
 * Polls one expectation's probe from its anchor to its deadline and judges it (verdict-rules.ts).
 * First-seen is the observation's own time (sample, span, log record, notification), not the
 * time of the poll that found it; a failing backend is retried with backoff until the deadline.
 */
export async function runExpectation(plan: ExpectationPlan, ctx: ExpectationContext): Promise<ExpectationResult> {
  const { def, probe } = plan;
  const base = { id: def.id, signal: probe.signal, kind: def.kind, description: probe.describe(), deadline: plan.deadlineLabel };
  const within = plan.withinMs !== undefined ? { ms: plan.withinMs, anchor: parseWithin(def.within).anchor } : parseWithin(def.within);
  let anchorError: string | undefined;
  const anchorAt = await untilAborted(plan.anchor(), ctx.abortSignal).catch((err: unknown) => void (anchorError = errorMessage(err)));
  if (!anchorAt) {
    const what = `the anchor (${within.anchor ?? plan.deadlineLabel})`;
    const reason = ctx.abortSignal?.aborted ? "the run was interrupted before the anchor happened" : anchorError ? `${what} could not be awaited: ${anchorError}` : `${what} never happened, e.g. the fault was never injected`;
    ctx.timeline.add("expectation-verdict", { id: def.id, data: { verdict: "inconclusive", reason } });
    return { ...base, verdict: "inconclusive", evidence: [], reason, polls: 0, errors: 0 };
  }
  const deadlineAt = new Date(anchorAt.getTime() + within.ms);
  const endAt = deadlineAt.getTime() + (ctx.ingestGraceMs ?? 5000);
  const interval = ctx.pollIntervalMs ?? 500;
  const watchMonitoring = ctx.monitoring && def.requiresMonitoring !== false && probe.signal !== "monitoring" ? ctx.monitoring : undefined;
  ctx.timeline.add("expectation-started", { id: def.id, data: { probe: base.description, kind: def.kind, anchorAt: iso(anchorAt), deadlineAt: iso(deadlineAt) } });

  const polls: PollRecord[] = [];
  const maxBlindGapMs = ctx.maxBlindGapMs ?? 10_000;
  const monitoringIntervalMs = ctx.monitoringIntervalMs ?? 5000;
  const blindness = watchMonitoring
    ? new BlindnessTracker(probe, watchMonitoring, maxBlindGapMs, (message) => ctx.timeline.add("note", { id: def.id, data: { monitoringBlind: message } }))
    : undefined;

  let observation: Observation | undefined;
  let permanentError: string | undefined;
  let backoff = interval;
  let streak = 0;
  let pollMs = 0;
  for (;;) {
    if (ctx.abortSignal?.aborted) break;
    const pollAt = Date.now();
    if (blindness && blindness.msSinceLastCheck(pollAt) >= monitoringIntervalMs) void blindness.check();
    try {
      const seen = await probe.observe({ endpoints: ctx.endpoints, since: anchorAt, ...(ctx.sentTraceIds ? { sentTraceIds: ctx.sentTraceIds } : {}) });
      pollMs = Date.now() - pollAt;
      polls.push({ at: pollAt, ok: true });
      if (streak > 0) ctx.timeline.add("note", { id: def.id, data: { backendRecovered: true, failedPolls: streak } });
      streak = 0;
      backoff = interval;
      // stays-absent ignores what happened after the deadline; every other kind stops at the first sighting.
      if (seen && (def.kind !== "stays-absent" || seen.at.getTime() <= deadlineAt.getTime())) {
        observation = seen;
        break;
      }
    } catch (err) {
      const message = errorMessage(err);
      polls.push({ at: pollAt, ok: false, error: message });
      if (streak === 0 || polls[polls.length - 2]?.error !== message) ctx.timeline.add("probe-error", { id: def.id, data: { error: message, consecutive: streak + 1 } });
      streak++;
      if (isPermanentError(err)) {
        permanentError = message;
        break;
      }
      backoff = Math.min(backoff * 2, ctx.maxBackoffMs ?? 5000);
    }
    // Stop only after a poll that began at the end of the window: a timer may fire a millisecond
    // early, and a last poll begun before the deadline would leave its final moment unobserved.
    if (pollAt >= endAt) break;
    const now = Date.now();
    await sleep(Math.max(0, Math.min(streak > 0 ? backoff : nextPollDelay(interval, pollMs, ctx.maxPollGapMs), endAt - now)), ctx.abortSignal);
  }

  const endedAt = new Date();
  const aborted = !observation && !permanentError && endedAt.getTime() < endAt && (ctx.abortSignal?.aborted ?? false);
  // A negative finding needs monitoring's state at the end of the window too.
  if (!observation && !permanentError && blindness) await blindness.final();
  const decision = decide({
    kind: def.kind, anchorAt, deadlineAt, endedAt, polls, aborted, allowPreexisting: plan.allowPreexisting ?? false,
    blinding: blindness?.blinding ?? [], maxBlindGapMs,
    ...(observation ? { observation } : {}), ...(permanentError ? { permanentError } : {}),
  });

  const errors = polls.filter((p) => !p.ok).length;
  const evidence: Evidence[] = [];
  const seenEvidence = observation?.evidence ?? lastMissOf(probe);
  if (seenEvidence) evidence.push(seenEvidence);
  if (decision.verdict === "inconclusive" && blindness?.blinding.length) evidence.push(...blindness.evidence);
  if (errors > 0 && decision.verdict === "pass") {
    evidence.push({ query: `${base.description} (retries)`, result: `${errors} of ${polls.length} polls failed and were retried with backoff; last error: ${[...polls].reverse().find((p) => !p.ok)?.error}` });
  }
  const result: ExpectationResult = {
    ...base, verdict: decision.verdict, anchorAt: iso(anchorAt), deadlineAt: iso(deadlineAt), evidence, polls: polls.length, errors,
    ...(decision.reason ? { reason: decision.reason } : {}),
  };
  if (observation) {
    result.firstSeenAt = iso(observation.at);
    const latency = (observation.at.getTime() - anchorAt.getTime()) / 1000;
    if (latency >= 0) result.detectionLatencySeconds = latency;
    ctx.timeline.add("expectation-first-seen", { id: def.id, at: observation.at, data: { polledAt: iso(new Date(polls[polls.length - 1]!.at)), detectionLatencySeconds: result.detectionLatencySeconds, result: observation.evidence.result } });
  }
  ctx.timeline.add("expectation-verdict", { id: def.id, data: { verdict: result.verdict, reason: result.reason, firstSeenAt: result.firstSeenAt, detectionLatencySeconds: result.detectionLatencySeconds, polls: result.polls, errors } });
  return result;
}

async function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T | undefined> {
  if (!signal) return promise;
  if (signal.aborted) return undefined;
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener("abort", onAbort), reject(e)),
    );
  });
}
