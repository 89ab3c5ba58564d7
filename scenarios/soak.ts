import type { LoadModel } from "../core/experiment-model.js";
import { basePlan, type LoadPlan } from "./load-plan.js";

/** Long enough for leaks and slow burns to show; shorter than this is a steady run by another name. */
export const SOAK_MIN_MS = 30 * 60_000;

/** A steady rate held for a long time: memory growth, connection leaks and the slow 6h/3d burn windows. */
export function soak(def: LoadModel): LoadPlan {
  const { rate, durationMs, requests, params, timeoutMs } = basePlan(def);
  if (durationMs < SOAK_MIN_MS) throw new Error(`load.duration: a soak runs at least 30m, got ${def.duration}; use scenario: steady for shorter runs`);
  return { scenario: "soak", requests, params, timeoutMs, stages: [{ ratePerSecond: rate, durationMs }] };
}
