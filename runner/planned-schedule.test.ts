import type { ExpectationModel, ExperimentModel, FaultPlan } from "../core/experiment-model.js";
import { plannedSchedule } from "./planned-schedule.js";
import { getTemplate } from "../core/request-mapping.js";

const runStart = new Date("2025-11-20T14:00:00.000Z");

function fault(faultId: string, atMs: number, durationMs: number): FaultPlan {
  return { faultId, injector: "process", params: {}, allowlist: [], atMs, durationMs, maxDurationMs: durationMs + 15_000, blinds: [] };
}

function expectation(id: string, anchor: string, withinMs: number): ExpectationModel {
  return { id, kind: "appears", within: `${withinMs / 1000}s of ${anchor}`, withinMs, anchor, deadlineLabel: "", probe: { key: "metric", spec: {} } };
}

function experiment(parts: Partial<ExperimentModel>): ExperimentModel {
  return {
    title: "t",
    env: { provider: "local", options: {} },
    allowlist: [],
    rules: { compress: 1 },
    steadyState: { before: [], after: [] },
    faults: [],
    abort: [],
    expectations: [],
    report: { formats: ["json"] },
    alerts: { alwaysFiring: [] },
    ...parts,
  };
}

const offsets = (dates: Record<string, Date>) => Object.fromEntries(Object.entries(dates).map(([id, d]) => [id, (d.getTime() - runStart.getTime()) / 1000]));

describe("plannedSchedule", () => {
  it("should place each deadline after its anchor: run start, a fault's start or end, the load's end", () => {
    const planned = plannedSchedule(
      experiment({
        load: {
          scenario: "steady",
          ratePerSecond: 20,
          durationMs: 300_000,
          requests: [getTemplate("/")],
          params: {},
          timeoutMs: 5000,
          rate: "20/s",
          duration: "5m",
        },
        faults: [fault("pool-exhausted", 30_000, 60_000)],
        expectations: [
          expectation("at-start", "run-start", 10_000),
          expectation("seen", "pool-exhausted.start", 60_000),
          expectation("recovered", "pool-exhausted.end", 45_000),
          expectation("after-load", "load-end", 20_000),
        ],
      }),
      runStart,
    );
    expect(offsets(planned.deadlines)).toEqual({ "at-start": 10, seen: 90, recovered: 135, "after-load": 320 });
    expect((planned.endAt.getTime() - runStart.getTime()) / 1000).toBe(320);
  });

  it("should end with the latest of the load, the faults and the deadlines", () => {
    const planned = plannedSchedule(experiment({ faults: [fault("late", 120_000, 90_000)], expectations: [expectation("x", "late.start", 30_000)] }), runStart);
    expect((planned.endAt.getTime() - runStart.getTime()) / 1000).toBe(210);
  });

  it("should count load-end from the start when there is no load, as the run settles that anchor at once", () => {
    const planned = plannedSchedule(experiment({ expectations: [expectation("x", "load-end", 5000)] }), runStart);
    expect(offsets(planned.deadlines)).toEqual({ x: 5 });
  });

  it("should say which anchor it could not place", () => {
    expect(() => plannedSchedule(experiment({ expectations: [expectation("x", "ghost.start", 5000)] }), runStart)).toThrow(
      'anchor "ghost.start" names no fault of the experiment',
    );
  });
});
