import type { Endpoints } from "../core/environment.js";
import type { ExpectationResult } from "../core/report-schema.js";
import type { Timeline } from "../core/timeline.js";
import type { Evidence, Observation, Probe, ProbeContext } from "./probe.js";
import type { Coverage, LoadRequest } from "./load-coverage.js";
import type { Diagnosis, FaultWindow, PathContext, PathLiveness } from "./diagnosis/diagnosis.js";
import { declaredBlindness } from "./diagnosis/declared-blindness.js";
import { decide, howRunStopped, type ExpectationKind, type PollRecord } from "./verdict-rules.js";
import { describeCoverage } from "./load-coverage.js";
import { errorMessage, isPermanentError } from "./utils/errors.js";
import { nextPollDelay, VISIBILITY_DUTY, VISIBILITY_GAP_MS } from "./utils/poll-pacing.js";
import { iso, sleep } from "./utils/times.js";
import { toReportDiagnosis } from "./diagnosis/report-diagnosis.js";

export interface ExpectationPlan {
  def: { id: string; kind: ExpectationKind; within: string };
  probe: Probe;
  /** Resolves when the anchor event happens (fault start, ...), or undefined if it never does. */
  anchor: () => Promise<Date | undefined>;
  /** For the report, e.g. "60s after pool-exhausted.start". */
  deadlineLabel: string;
  /** The deadline's distance from the anchor. */
  withinMs: number;
  /** Steady-state checks: a condition already true at the anchor passes instead of being inconclusive. */
  allowPreexisting?: boolean;
}

export interface ExpectationContext {
  endpoints: Endpoints;
  timeline: Timeline;
  /** Between polls while the backend answers; default 500 ms. Stretched for slow polls (poll-pacing.ts). */
  pollIntervalMs?: number;
  /** Longest gap between polls however slow they are; default 15 s. */
  maxPollGapMs?: number;
  abortSignal?: AbortSignal;
  sentRequests?: () => readonly LoadRequest[];
  /** The experiment's faults so far, for declared blindness and for naming a fault's own effects. */
  faults?: () => readonly FaultWindow[];
  /** T+ offsets in diagnoses count from here; default the anchor. */
  origin?: Date;
  /** Polling goes on this long past the deadline, to say how late a late signal was; default 5 s. */
  ingestGraceMs?: number;
  /** Default 10 s, two scrape intervals of the local stack. */
  maxBlindGapMs?: number;
  /** Ceiling of the retry backoff; default 5 s. */
  maxBackoffMs?: number;
  /** How long the load's telemetry may take to reach its backend before coverage is measured; default 5 s. */
  settleMs?: number;
}

/** Coverage is measured over at least this much of the load after the anchor. */
const COVERAGE_MIN_WINDOW_MS = 10_000;

/**
 * Polls one expectation's probe from its anchor to its deadline and judges it (verdict-rules.ts).
 * First-seen is when a person could first have seen the signal: its own time where the backend
 * stores it so (a sample, an alert evaluation, a notification), otherwise the first poll that
 * found it, with the signal's own time beside it. A miss is diagnosed hop by hop; an absence is
 * checked against a live path; a failing backend is retried with backoff until the deadline.
 */
export async function runExpectation(plan: ExpectationPlan, ctx: ExpectationContext): Promise<ExpectationResult> {
  const { def, probe } = plan;
  const base = { id: def.id, signal: probe.signal, kind: def.kind, description: probe.describe(), deadline: plan.deadlineLabel };
  let anchorError: string | undefined;
  const anchorAt = await untilAborted(plan.anchor(), ctx.abortSignal).catch((err: unknown) => void (anchorError = errorMessage(err)));
  if (!anchorAt) {
    const what = `the anchor of "${plan.deadlineLabel}"`;
    const reason = ctx.abortSignal?.aborted
      ? `the run was ${howRunStopped(stopReason(ctx.abortSignal))} before the anchor happened`
      : anchorError
        ? `${what} could not be awaited: ${anchorError}`
        : `${what} never happened, e.g. the fault was never injected`;
    ctx.timeline.add("expectation-verdict", { id: def.id, data: { verdict: "inconclusive", reason } });
    return { ...base, verdict: "inconclusive", evidence: [], reason, polls: 0, errors: 0 };
  }
  const deadlineAt = new Date(anchorAt.getTime() + plan.withinMs);
  const endAt = deadlineAt.getTime() + (ctx.ingestGraceMs ?? 5000);
  const interval = ctx.pollIntervalMs ?? 500;
  // Visibility of a trace or log is dated by the polls that missed and found it, so they stay close together.
  const datedByPolls = probe.visibility === "polled" && def.kind !== "stays-absent";
  ctx.timeline.add("expectation-started", {
    id: def.id,
    data: { probe: base.description, kind: def.kind, anchorAt: iso(anchorAt), deadlineAt: iso(deadlineAt) },
  });
  const probeCtx: ProbeContext = {
    endpoints: ctx.endpoints,
    since: anchorAt,
    ...(ctx.origin ? { runStart: ctx.origin } : {}),
    ...(ctx.sentRequests ? { sentRequests: ctx.sentRequests } : {}),
  };

  const polls: PollRecord[] = [];
  let observation: Observation | undefined;
  let lastMiss: Evidence | undefined;
  let visibleAt: Date | undefined;
  let lastMissAt: Date | undefined;
  let permanentError: string | undefined;
  let backoff = interval;
  let streak = 0;
  let pollMs = 0;
  let deadlinePolled = false;
  for (;;) {
    if (ctx.abortSignal?.aborted) break;
    const pollAt = Date.now();
    if (pollAt >= deadlineAt.getTime()) deadlinePolled = true;
    try {
      const answer = await probe.observe(probeCtx);
      const seen = answer.seen;
      if (answer.miss) lastMiss = answer.miss;
      pollMs = Date.now() - pollAt;
      polls.push({ at: pollAt, ok: true });
      if (streak > 0) ctx.timeline.add("note", { id: def.id, data: { backendRecovered: true, failedPolls: streak } });
      streak = 0;
      backoff = interval;
      // stays-absent ignores what happened after the deadline; every other kind stops at the first sighting.
      if (seen && (def.kind !== "stays-absent" || seen.at.getTime() <= deadlineAt.getTime())) {
        observation = seen;
        if (probe.visibility === "polled") visibleAt = new Date(Math.max(pollAt, seen.at.getTime()));
        break;
      }
      lastMissAt = new Date(pollAt);
    } catch (err) {
      const message = errorMessage(err);
      polls.push({ at: pollAt, ok: false, error: message });
      if (streak === 0 || polls[polls.length - 2]?.error !== message)
        ctx.timeline.add("probe-error", { id: def.id, data: { error: message, consecutive: streak + 1 } });
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
    const paced = datedByPolls ? nextPollDelay(interval, pollMs, VISIBILITY_GAP_MS, VISIBILITY_DUTY) : nextPollDelay(interval, pollMs, ctx.maxPollGapMs);
    // One poll lands on the deadline itself, so "visible by the deadline" is observed, not inferred.
    const until = deadlinePolled ? endAt : deadlineAt.getTime();
    await sleep(Math.max(0, Math.min(streak > 0 ? backoff : paced, until - now)), ctx.abortSignal);
  }

  const endedAt = new Date();
  const aborted = !observation && !permanentError && endedAt.getTime() < endAt && (ctx.abortSignal?.aborted ?? false);
  const abortedBecause = aborted ? stopReason(ctx.abortSignal) : undefined;
  const path: PathContext = {
    endpoints: ctx.endpoints,
    from: anchorAt,
    to: deadlineAt,
    origin: ctx.origin ?? anchorAt,
    faults: ctx.faults?.() ?? [],
    maxGapMs: ctx.maxBlindGapMs ?? 10_000,
    ...(ctx.sentRequests ? { sentRequests: ctx.sentRequests } : {}),
  };
  const coverage = observation && !aborted ? await measureAfterSettling(probe, probeCtx, anchorAt, visibleAt ?? observation.at, deadlineAt, ctx) : undefined;
  const judged = !observation && !permanentError && !aborted;
  const diagnosis = judged && def.kind !== "stays-absent" ? (await attempt(() => probe.diagnose?.(path), def.id, "diagnose", ctx)).value : undefined;
  const alive = judged && def.kind === "stays-absent" ? await attempt(() => probe.pathAlive?.(path), def.id, "check the path of", ctx) : {};
  const liveness = alive.value;
  const decision = decide({
    kind: def.kind,
    anchorAt,
    deadlineAt,
    endedAt,
    polls,
    aborted,
    ...(abortedBecause ? { abortedBecause } : {}),
    allowPreexisting: plan.allowPreexisting ?? false,
    maxBlindGapMs: ctx.maxBlindGapMs ?? 10_000,
    backend: backendOf(probe),
    ...(observation ? { observation } : {}),
    ...(visibleAt ? { visibleAt } : {}),
    ...(permanentError ? { permanentError } : {}),
    ...(diagnosis ? { diagnosis } : {}),
    ...(liveness ? { liveness } : {}),
    ...(alive.error ? { livenessError: alive.error } : {}),
    ...(coverage ? { coverage } : {}),
    ...withDeclared(declaredBlindness(path.faults, probe.signal, anchorAt, deadlineAt, path.origin)),
  });

  const errors = polls.filter((p) => !p.ok).length;
  const evidence: Evidence[] = [];
  const seenEvidence = observation?.evidence ?? lastMiss;
  if (seenEvidence) evidence.push(seenEvidence);
  if (coverage)
    evidence.push({ query: `coverage of the load's requests (${coverage.from} .. ${coverage.to})`, result: describeCoverage(coverage, backendOf(probe)) });
  if (liveness) evidence.push({ query: `path alive during the window (${iso(anchorAt)} .. ${iso(deadlineAt)})`, result: liveness.detail });
  if (errors > 0 && decision.verdict === "pass") {
    evidence.push({
      query: `${base.description} (retries)`,
      result: `${errors} of ${polls.length} polls failed and were retried with backoff; last error: ${[...polls].reverse().find((p) => !p.ok)?.error}`,
    });
  }
  const result: ExpectationResult = {
    ...base,
    verdict: decision.verdict,
    anchorAt: iso(anchorAt),
    deadlineAt: iso(deadlineAt),
    evidence,
    polls: polls.length,
    errors,
    ...(decision.reason ? { reason: decision.reason } : {}),
    ...(diagnosis ? { diagnosis: toReportDiagnosis(diagnosis) } : {}),
    ...(coverage ? { coverage } : {}),
  };
  if (observation) {
    const firstSeen = visibleAt ?? observation.at;
    result.firstSeenAt = iso(firstSeen);
    result.occurredAt = iso(observation.at);
    if (visibleAt) {
      // It was not visible at the last poll that missed it, nor before it happened.
      const lower = Math.max(lastMissAt?.getTime() ?? anchorAt.getTime(), observation.at.getTime());
      result.visibleAfter = iso(new Date(Math.min(lower, visibleAt.getTime())));
    }
    const latency = (firstSeen.getTime() - anchorAt.getTime()) / 1000;
    if (latency >= 0) result.detectionLatencySeconds = latency;
    ctx.timeline.add("expectation-first-seen", {
      id: def.id,
      at: firstSeen,
      data: {
        occurredAt: result.occurredAt,
        polledAt: iso(new Date(polls[polls.length - 1]!.at)),
        detectionLatencySeconds: result.detectionLatencySeconds,
        result: observation.evidence.result,
      },
    });
  }
  ctx.timeline.add("expectation-verdict", {
    id: def.id,
    data: {
      verdict: result.verdict,
      reason: result.reason,
      firstSeenAt: result.firstSeenAt,
      detectionLatencySeconds: result.detectionLatencySeconds,
      polls: result.polls,
      errors,
    },
  });
  return result;
}

/**
 * Coverage of the load's requests sent between the anchor and the sighting (at least ten seconds
 * of them, within the deadline), measured once their telemetry has had time to arrive.
 */
async function measureAfterSettling(
  probe: Probe,
  probeCtx: ProbeContext,
  anchorAt: Date,
  seenAt: Date,
  deadlineAt: Date,
  ctx: ExpectationContext,
): Promise<Coverage | undefined> {
  if (!probe.coverage || !probeCtx.sentRequests) return undefined;
  const to = new Date(Math.min(Math.max(seenAt.getTime(), anchorAt.getTime() + COVERAGE_MIN_WINDOW_MS), deadlineAt.getTime()));
  await sleep(to.getTime() + (ctx.settleMs ?? 5000) - Date.now(), ctx.abortSignal);
  const measured = await probe.coverage(probeCtx, anchorAt, to).catch((err: unknown) => {
    ctx.timeline.add("note", { data: { message: `could not measure the load's coverage in ${backendOf(probe)}: ${errorMessage(err)}` } });
    return undefined;
  });
  return measured && measured.checked > 0 ? measured : undefined;
}

/** A diagnosis or liveness check whose queries fail is recorded on the timeline and returned as the error. */
async function attempt<T extends Diagnosis | PathLiveness>(
  run: () => Promise<T> | undefined,
  id: string,
  what: string,
  ctx: ExpectationContext,
): Promise<{ value?: T; error?: string }> {
  try {
    const value = await run();
    return value ? { value } : {};
  } catch (err) {
    const error = errorMessage(err);
    ctx.timeline.add("note", { id, data: { message: `could not ${what} the signal: ${error}` } });
    return { error };
  }
}

function withDeclared(reason: string | undefined): { declaredBlind?: string } {
  return reason ? { declaredBlind: reason } : {};
}

function backendOf(probe: Probe): string {
  return {
    trace: "Jaeger",
    log: "the log store",
    metric: "Prometheus",
    alert: "Alertmanager",
    event: "the API server",
    monitoring: "Prometheus",
    load: "the load generator",
  }[probe.signal];
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

/** The run's own words for why it stopped early (an abort condition); none for an interruption, whose reason is not a string. */
function stopReason(signal: AbortSignal | undefined): string | undefined {
  return typeof signal?.reason === "string" ? signal.reason : undefined;
}
