import type { LoadModel } from "../core/experiment-model.js";
import { basePlan, type LoadPlan } from "./load-plan.js";

/** Rate and peak in steps no shorter than this, so each step is long enough to measure. */
const MIN_STEP_MS = 5000;
const MAX_STEPS = 20;

/** From `rate` up to `peakRate` in even steps over the duration: where does the API start to fail? */
export function ramp(def: LoadModel): LoadPlan {
  const { rate, durationMs, requests, params, timeoutMs, peak } = basePlan(def);
  const top = peak ?? rate * 5;
  const steps = Math.max(1, Math.min(MAX_STEPS, Math.floor(durationMs / MIN_STEP_MS)));
  const stepMs = Math.floor(durationMs / steps);
  const stages = Array.from({ length: steps }, (_, i) => ({
    ratePerSecond: steps === 1 ? top : rate + ((top - rate) * i) / (steps - 1),
    durationMs: i === steps - 1 ? durationMs - stepMs * (steps - 1) : stepMs,
  }));
  return { scenario: "ramp", requests, params, timeoutMs, stages };
}
