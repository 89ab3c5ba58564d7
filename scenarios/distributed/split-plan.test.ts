import { LoadSpec } from "../../core/experiment-spec.js";
import { loadModel } from "../../core/experiment-mapping.js";
import { planLoad } from "../scenario-registry.js";
import { expectedRequests, runnerStages, splitPlan } from "./split-plan.js";

const plan = (spec: Record<string, unknown>) => planLoad(loadModel(LoadSpec.parse(spec)));

describe("splitPlan", () => {
  it("should give each of N runners 1/N of every stage's rate with the same durations, adding up to the plan", () => {
    const ramp = plan({ scenario: "ramp", rate: "10/s", peakRate: "40/s", duration: "30s" });
    const share = splitPlan(ramp, 3);
    expect(share.stages.map((s) => s.durationMs)).toEqual(ramp.stages.map((s) => s.durationMs));
    share.stages.forEach((s, i) => expect(s.ratePerSecond * 3).toBeCloseTo(ramp.stages[i]!.ratePerSecond, 9));
    expect(expectedRequests(share) * 3).toBeCloseTo(expectedRequests(ramp), 6);
    expect(share.requests).toBe(ramp.requests);
  });

  it("should split a closed-model stage's workers, rounding up so no runner has none", () => {
    const closed = { ...plan({ rate: "10/s", duration: "10s" }), stages: [{ ratePerSecond: 0, durationMs: 10_000, workers: 4 }] };
    expect(splitPlan(closed, 3).stages[0]).toEqual({ ratePerSecond: 0, durationMs: 10_000, workers: 2 });
  });

  it("should refuse a runner count that is not a whole number of at least 1", () => {
    expect(() => splitPlan(plan({ rate: "10/s", duration: "10s" }), 0)).toThrow("distributed load: runners must be a whole number of at least 1, got 0");
  });
});

describe("runnerStages", () => {
  it("should give Vegeta a per-minute rate, so a third of 10/s is exactly 200/1m", () => {
    const share = splitPlan(plan({ scenario: "steady", rate: "10/s", duration: "3m" }), 3);
    expect(runnerStages(share)).toBe("steady-1:200/1m:180000:0:" + String(Math.ceil((10 / 3) * (share.timeoutMs / 1000)) + 10));
  });
});
