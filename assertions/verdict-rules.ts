import type { Observation } from "./probe.js";
import type { MonitoringProblem } from "./monitoring-status.js";
import { humanMs, iso } from "./utils/times.js";

export type ExpectationKind = "appears" | "stays-absent" | "resolves";
export type VerdictName = "pass" | "fail" | "inconclusive";

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
  polls: PollRecord[];
  /** Monitoring problems, seen during the window, that blind this probe's signal. */
  blinding: MonitoringProblem[];
  aborted: boolean;
  permanentError?: string;
  /** Steady-state checks: a condition already true at the anchor counts. */
  allowPreexisting: boolean;
  /** Longest stretch the backend may fail to answer before its silence voids a negative finding. */
  maxBlindGapMs: number;
}

export interface Decision {
  verdict: VerdictName;
  reason?: string;
}

/**
 * The verdict rules. A positive finding (the signal was seen) stands on its own evidence. A
 * negative finding (`appears`/`resolves` never seen: fail; `stays-absent` never seen: pass) is
 * only trusted when the backend answered throughout the window and monitoring was not blind
 * for the signal; otherwise it is inconclusive, with the cause.
 */
export function decide(f: PollingFacts): Decision {
  if (f.permanentError) return { verdict: "inconclusive", reason: `query error (not retried): ${f.permanentError}` };
  const obs = f.observation;
  if (obs) {
    const at = obs.at.getTime();
    if (f.kind === "stays-absent") {
      if (at <= f.deadlineAt.getTime()) {
        const when = at < f.anchorAt.getTime() ? `already present before the anchor (at ${iso(obs.at)})` : `seen at ${iso(obs.at)}, ${humanMs(at - f.anchorAt.getTime())} after the anchor`;
        return { verdict: "fail", reason: `expected nothing, but it was ${when}` };
      }
    } else {
      if (at > f.deadlineAt.getTime()) return { verdict: "fail", reason: `first seen at ${iso(obs.at)}, ${humanMs(at - f.deadlineAt.getTime())} after the deadline` };
      if (at < f.anchorAt.getTime() && !f.allowPreexisting) {
        return { verdict: "inconclusive", reason: `already present before the anchor (seen at ${iso(obs.at)}), so it cannot be credited to what the anchor marks` };
      }
      return { verdict: "pass" };
    }
  }
  if (f.aborted) return { verdict: "inconclusive", reason: `the run was interrupted at ${iso(f.endedAt)}, before the deadline ${iso(f.deadlineAt)}` };
  const silence = backendSilence(f);
  if (silence) return { verdict: "inconclusive", reason: silence };
  if (f.blinding.length > 0) {
    const messages = [...new Set(f.blinding.map((p) => p.message))];
    return { verdict: "inconclusive", reason: `monitoring was blind during the window: ${messages.join("; ")}` };
  }
  if (f.kind === "stays-absent") return { verdict: "pass" };
  return { verdict: "fail", reason: `not seen between ${iso(f.anchorAt)} and the deadline ${iso(f.deadlineAt)}` };
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
