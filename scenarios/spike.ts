import type { LoadModel } from "../core/experiment-model.js";
import { basePlan, type LoadPlan } from "./load-plan.js";

/** Base rate, a sudden burst at `peakRate` for the middle fifth, then base again: does the API recover? */
export function spike(def: LoadModel): LoadPlan {
  const { rate, durationMs, requests, params, timeoutMs, peak } = basePlan(def);
  const burst = Math.round(durationMs / 5);
  const before = Math.round((durationMs - burst) / 2);
  return {
    scenario: "spike",
    requests,
    params,
    timeoutMs,
    stages: [
      { ratePerSecond: rate, durationMs: before },
      { ratePerSecond: peak ?? rate * 10, durationMs: burst },
      { ratePerSecond: rate, durationMs: durationMs - before - burst },
    ],
  };
}
