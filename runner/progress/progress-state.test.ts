import type { TimelineEvent } from "../../core/timeline.js";
import { INITIAL_PROGRESS, nextProgress, type ProgressState } from "./progress-state.js";
import { at, event, poolExhaustionEvents, T0 } from "./progress-fixture.js";

const replay = (events: TimelineEvent[], from: ProgressState = INITIAL_PROGRESS) => events.reduce(nextProgress, from);

describe("nextProgress", () => {
  it("should count time from run-started, take the stage and the plan, and leave steady-state checks out of the expectations", () => {
    const state = replay(poolExhaustionEvents());
    expect({ t0: state.t0, stage: state.stage, plannedEndAt: state.plannedEndAt }).toEqual({ t0: T0, stage: "expectations", plannedEndAt: at(303) });
    expect(state.expectations).toEqual([
      { id: "error-ratio-rises", deadlineAt: at(93), anchored: true, verdict: "pass", detectionLatencySeconds: 7.4 },
      { id: "pool-errors-logged", deadlineAt: at(93), anchored: true },
      { id: "recovers-after", deadlineAt: at(153), anchored: false },
    ]);
  });

  it("should show a fault from its injection, verified, until its rollback", () => {
    const injected = replay(poolExhaustionEvents());
    expect(injected.faults).toEqual([{ id: "pool-exhausted", injector: "pool-exhaustion", target: "postgres", since: at(33), verified: true }]);
    const rolledBack = replay([event(93, "fault-rolled-back", "pool-exhausted", { injector: "pool-exhaustion", reason: "requested" })], injected);
    expect(rolledBack.faults).toEqual([]);
  });

  it("should keep what went wrong with a fault in place, and never show one whose injection failed", () => {
    const state = replay([
      event(0, "run-started"),
      event(30, "fault-error", "never-there", { injector: "process", stage: "inject", error: "no such process" }),
      event(31, "fault-injected", "paused", { injector: "process", target: "alertmanager" }),
      event(36, "fault-error", "paused", { injector: "process", stage: "verify", error: "still answering" }),
    ]);
    expect(state.faults).toEqual([
      { id: "paused", injector: "process", target: "alertmanager", since: at(31), verified: false, problem: "verify failed: still answering" },
    ]);
  });

  it("should measure the load's rate over the last seconds, not since the start, and count the recent failures", () => {
    const { load } = replay(poolExhaustionEvents());
    // Seconds 30..35: 20 requests a second; failures from second 32 on, 18 a second.
    expect({ rate: load!.rate, recentErrors: load!.recentErrors, errors: load!.latest.errors, ended: load!.ended }).toEqual({
      rate: 20,
      recentErrors: 72,
      errors: 72,
      ended: false,
    });
    const slower = replay([event(40, "load-sample", undefined, { second: 37, requests: 720, errors: 72 })], replay(poolExhaustionEvents()));
    expect(slower.load!.rate).toBeCloseTo((720 - 640) / 5);
    expect(replay([event(303, "load-ended")], slower).load!.ended).toBe(true);
  });

  it("should start afresh for the next experiment's run-started", () => {
    const next = replay([event(400, "run-started")], replay(poolExhaustionEvents()));
    expect(next).toEqual({ t0: at(400), faults: [], expectations: [] });
  });

  it("should keep an expectation's verdict when a steady-state check of the same name settles later", () => {
    const state = replay([
      ...poolExhaustionEvents(),
      event(310, "expectation-started", "error-ratio-rises", { deadlineAt: at(340) }),
      event(311, "expectation-verdict", "error-ratio-rises", { verdict: "fail" }),
    ]);
    expect(state.expectations[0]).toEqual({ id: "error-ratio-rises", deadlineAt: at(93), anchored: true, verdict: "pass", detectionLatencySeconds: 7.4 });
  });
});
