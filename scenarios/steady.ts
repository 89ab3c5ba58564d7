import type { LoadModel } from "../core/experiment-model.js";
import { basePlan, type LoadPlan } from "./load-plan.js";

/** Constant arrival rate for the whole run: the baseline every SLO is judged against. */
export function steady(def: LoadModel): LoadPlan {
  const { rate, durationMs, requests, params, timeoutMs } = basePlan(def);
  return { scenario: "steady", requests, params, timeoutMs, stages: [{ ratePerSecond: rate, durationMs }] };
}
