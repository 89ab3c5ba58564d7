import type { Observation } from "./probe.js";
import type { Diagnosis, PathLiveness } from "./diagnosis/diagnosis.js";
import { describeCoverage, type Coverage } from "./load-coverage.js";
import { humanMs, iso } from "./utils/times.js";

import type { ExpectationKind } from "../core/experiment-model.js";
import type { Verdict } from "../core/report-schema.js";

export type { ExpectationKind };

export interface PollRecord {
  /** When the poll started, ms since the epoch. */
  at: number;
  ok: boolean;
  error?: string;
}

/** Everything one expectation's polling established, for the rules below to judge. */
export interface PollingFacts {
  kind: ExpectationKind;
  anchorAt: Date;
  deadlineAt: Date;
  /** When polling ended (the deadline plus the ingestion grace, or earlier when decided). */
  endedAt: Date;
  observation?: Observation;
  /** When a person could first have seen the observation; its own time unless the probe dates visibility by polling. */
  visibleAt?: Date;
  polls: PollRecord[];
  aborted: boolean;
  /** Why the run stopped early, when the run says (an abort condition that held); otherwise it was interrupted. */
  abortedBecause?: string;
  permanentError?: string;
  /** Steady-state checks: a condition already true at the anchor counts. */
  allowPreexisting: boolean;
  /** Longest stretch the backend may fail to answer before its silence voids a negative finding. */
  maxBlindGapMs: number;
  /** Set when a fault of the experiment declared that it blinds this signal and was in place during the window. */
  declaredBlind?: string;
  /** Where a signal that never showed was lost, hop by hop. */
  diagnosis?: Diagnosis;
  /** stays-absent: whether the signal's path carried anything, so the absence means something. */
  liveness?: PathLiveness;
  /** stays-absent: the liveness check itself could not query its backend. */
  livenessError?: string;
  /** For the load's own requests: what share reached the backend. */
  coverage?: Coverage;
  /** The backend the coverage was measured against, for the words. */
  backend?: string;
}

export interface Decision {
  verdict: Verdict;
  reason?: string;
}

/**
 * The verdict rules (DESIGN.md, "What a verdict means"). A sighting stands on its own evidence,
 * judged by when a person could first have seen it. The stack under test is what is verified:
 * a signal lost inside it is a fail, with the hop where it was lost; an absence passes only over
 * a path that was alive. Inconclusive is kept for what the harness could not tell: its own
 * queries failed, the run was interrupted, or the experiment declared that its fault blinds this
 * signal (and the signal did not reach its backend anyway).
 */
export function decide(f: PollingFacts): Decision {
  if (f.permanentError) return { verdict: "inconclusive", reason: `query error (not retried): ${f.permanentError}` };
  const obs = f.observation;
  if (obs) {
    const at = obs.at.getTime();
    if (f.kind === "stays-absent") {
      if (at <= f.deadlineAt.getTime()) {
        const when =
          at < f.anchorAt.getTime()
            ? `already present before the anchor (at ${iso(obs.at)})`
            : `seen at ${iso(obs.at)}, ${humanMs(at - f.anchorAt.getTime())} after the anchor`;
        return { verdict: "fail", reason: `expected nothing, but it was ${when}` };
      }
    } else {
      const visible = f.visibleAt ?? obs.at;
      const happened = f.visibleAt && f.visibleAt.getTime() !== at ? ` (it happened at ${iso(obs.at)})` : "";
      if (visible.getTime() > f.deadlineAt.getTime())
        return {
          verdict: "fail",
          reason: `first visible at ${iso(visible)}, ${humanMs(visible.getTime() - f.deadlineAt.getTime())} after the deadline${happened}`,
        };
      if (at < f.anchorAt.getTime() && !f.allowPreexisting) {
        return {
          verdict: "inconclusive",
          reason: `already present before the anchor (seen at ${iso(obs.at)}), so it cannot be credited to what the anchor marks`,
        };
      }
      if (f.coverage && f.coverage.ratio < f.coverage.min) {
        return {
          verdict: "fail",
          reason: `seen, but too little of the load reached the backend to trust it: ${describeCoverage(f.coverage, f.backend ?? "the backend")}`,
        };
      }
      return { verdict: "pass" };
    }
  }
  if (f.aborted)
    return { verdict: "inconclusive", reason: `the run was ${howRunStopped(f.abortedBecause)} at ${iso(f.endedAt)}, before the deadline ${iso(f.deadlineAt)}` };
  const silence = backendSilence(f);
  if (silence) return { verdict: "inconclusive", reason: silence };
  if (f.declaredBlind && !f.diagnosis?.reachedBackend)
    return { verdict: "inconclusive", reason: `${f.declaredBlind}${f.diagnosis ? `; ${f.diagnosis.summary}` : ""}` };
  if (f.kind === "stays-absent") {
    if (f.livenessError)
      return { verdict: "inconclusive", reason: `nothing was seen, but whether the path was alive could not be checked: ${f.livenessError}` };
    if (!f.liveness || f.liveness.alive) return { verdict: "pass" };
    return { verdict: "fail", reason: `nothing was seen, but the path was not alive: ${f.liveness.detail}` };
  }
  const missed = `not seen between ${iso(f.anchorAt)} and the deadline ${iso(f.deadlineAt)}`;
  return { verdict: "fail", reason: f.diagnosis ? `${missed}: ${f.diagnosis.summary}` : missed };
}

/** Why the backend's answers do not cover the window, or undefined when they do. */
export function backendSilence(f: PollingFacts): string | undefined {
  const polls = [...f.polls].sort((a, b) => a.at - b.at);
  const failed = polls.filter((p) => !p.ok);
  const lastError = failed[failed.length - 1]?.error ?? "no poll completed";
  const retried = `${failed.length} of ${polls.length} polls failed, retried with backoff until the deadline; last error: ${lastError}`;
  const who = backendName(lastError);
  const good = polls.filter((p) => p.ok);
  if (good.length === 0) return `${who} never answered (${retried})`;
  const lastGood = good[good.length - 1]!;
  if (lastGood.at < f.deadlineAt.getTime()) return `${who} stopped answering at ${iso(new Date(lastGood.at))}, before the deadline (${retried})`;
  // Silences: from the last answer (or the anchor) to the next answer, where polls in between failed.
  let previous = f.anchorAt.getTime();
  let failures = 0;
  for (const p of polls) {
    if (!p.ok) {
      failures++;
      continue;
    }
    if (failures > 0 && p.at - previous > f.maxBlindGapMs) {
      return `${who} did not answer for ${humanMs(p.at - previous)} (${iso(new Date(previous))} to ${iso(new Date(p.at))}), longer than the ${humanMs(f.maxBlindGapMs)} it may miss (${retried})`;
    }
    previous = p.at;
    failures = 0;
  }
  return undefined;
}

/** Client errors start with the backend's name (clients/http.ts); reasons lead with it. */
function backendName(error: string): string {
  return /^(Prometheus|Alertmanager|Jaeger|VictoriaLogs|Loki|alert receiver)\b/.exec(error)?.[1] ?? "the backend";
}

/** "stopped (abort condition … held)" when the run said why it stopped early, "interrupted" otherwise. */
export function howRunStopped(because: string | undefined): string {
  return because ? `stopped (${because})` : "interrupted";
}
