import { Writable } from "node:stream";
import type { TimelineEvent, TimelineKind } from "../../core/timeline.js";

/** The run's start in the progress tests; events are placed by their seconds after it. */
export const T0 = "2025-11-20T14:00:00.000Z";

export const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

export function event(seconds: number, kind: TimelineKind, id?: string, data?: Record<string, unknown>): TimelineEvent {
  return { at: at(seconds), kind, ...(id !== undefined ? { id } : {}), ...(data ? { data } : {}) };
}

/**
 * The first two minutes of a pool-exhaustion run, as run-experiment.ts and its stages emit them:
 * steady state, load, the plan, a fault injected at T+0:30 and verified, one expectation seen at
 * T+0:40, load samples with failures while the fault holds.
 */
export function poolExhaustionEvents(): TimelineEvent[] {
  return [
    event(0, "run-started", undefined, { experiment: "pool-exhaustion", title: "Pool exhaustion pages the on-call" }),
    event(0, "stage", undefined, { stage: "steady state before" }),
    event(2, "expectation-verdict", "api-healthy", { verdict: "pass", polls: 1, errors: 0 }),
    event(3, "stage", undefined, { stage: "load", detail: "steady, 20/s for 5m with vegeta" }),
    event(3, "load-started", undefined, { scenario: "steady" }),
    event(3, "stage", undefined, {
      stage: "expectations",
      detail: "3 polled to their deadlines",
      plannedEndAt: at(303),
      plannedDeadlines: { "error-ratio-rises": at(93), "pool-errors-logged": at(93), "recovers-after": at(153) },
    }),
    event(33, "fault-injected", "pool-exhausted", { injector: "pool-exhaustion", target: "postgres", params: {}, injectMs: 40 }),
    event(33, "expectation-started", "error-ratio-rises", { anchorAt: at(33), deadlineAt: at(93) }),
    event(33, "expectation-started", "pool-errors-logged", { anchorAt: at(33), deadlineAt: at(93) }),
    event(34, "fault-effect-verified", "pool-exhausted", { injector: "pool-exhaustion", evidence: "40 of 40 slots held" }),
    ...[30, 31, 32, 33, 34, 35].map((s) =>
      event(3 + s, "load-sample", undefined, { second: s, requests: s * 20, errors: s > 31 ? (s - 31) * 18 : 0, rps: 20 }),
    ),
    event(40.4, "expectation-first-seen", "error-ratio-rises", { detectionLatencySeconds: 7.4 }),
    event(40.4, "expectation-verdict", "error-ratio-rises", { verdict: "pass", firstSeenAt: at(40.4), detectionLatencySeconds: 7.4, polls: 8, errors: 0 }),
  ];
}

/** A terminal as log-update sees one: a TTY with a size, whose output the test reads back. */
export function fakeTerminal(): { stream: NodeJS.WriteStream; output: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns: 120, rows: 40 });
  return { stream, output: () => chunks.join("") };
}
