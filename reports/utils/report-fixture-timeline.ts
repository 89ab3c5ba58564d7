import type { ExpectationResult, Report } from "../../core/report-schema.js";

interface Context {
  at: (offsetSeconds: number) => string;
  duration: number;
  faultStart: number;
  faultEnd: number;
  expectations: ExpectationResult[];
  hostile: string;
}

/** The runner's Timeline for the game day, in time order, as the runner would have recorded it. */
export function gameDayTimeline({ at, duration, faultStart, faultEnd, expectations, hostile }: Context): Report["timeline"] {
  const events: Report["timeline"] = [
    { at: at(0), kind: "run-started", data: { experiment: "pool-exhaustion" } },
    { at: at(0), kind: "stage", id: "steady-state-before" },
    { at: at(0.8), kind: "load-started", data: { tool: "vegeta", rate: "20/s" } },
    { at: at(faultStart), kind: "fault-injected", id: "pool-exhausted", data: { injector: "pool-exhaustion" } },
    { at: at(faultStart + 0.9), kind: "fault-effect-verified", id: "pool-exhausted", data: { held: 100 } },
    { at: at(faultStart + 135), kind: "note", data: { text: `AnalysisAPIErrorBudgetBurn firing${hostile}` } },
    { at: at(faultEnd), kind: "fault-rolled-back", id: "pool-exhausted" },
    { at: at(duration), kind: "load-ended", data: { requests: duration * 20 } },
    { at: at(duration), kind: "stage", id: "steady-state-after" },
    { at: at(duration + 5), kind: "run-ended", data: { verdict: "fail" } },
  ];
  for (const e of expectations) {
    if (e.anchorAt) events.push({ at: e.anchorAt, kind: "expectation-started", id: e.id });
    if (e.firstSeenAt) events.push({ at: e.firstSeenAt, kind: "expectation-first-seen", id: e.id, data: { latencySeconds: e.detectionLatencySeconds } });
    if (e.verdict === "inconclusive") events.push({ at: e.anchorAt ?? at(0), kind: "probe-error", id: e.id, data: { error: e.reason } });
    events.push({ at: e.firstSeenAt ?? e.deadlineAt ?? at(duration), kind: "expectation-verdict", id: e.id, data: { verdict: e.verdict } });
  }
  const notified = expectations.find((e) => e.id === "burn-alert-pages")?.firstSeenAt;
  if (notified) events.push({ at: notified, kind: "alert-notification", id: "AnalysisAPIErrorBudgetBurn", data: { status: "firing" } });
  return events.sort((a, b) => a.at.localeCompare(b.at));
}
