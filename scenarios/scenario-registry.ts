import type { LoadModel } from "../core/experiment-model.js";
import type { LoadPlan } from "./load-plan.js";
import { steady } from "./steady.js";
import { ramp } from "./ramp.js";
import { spike } from "./spike.js";
import { soak } from "./soak.js";

export const SCENARIOS: Record<LoadModel["scenario"], { plan: (def: LoadModel) => LoadPlan; summary: string }> = {
  steady: { plan: steady, summary: "constant arrival rate for the whole run" },
  ramp: { plan: ramp, summary: "rate rising in steps from rate to peakRate" },
  spike: { plan: spike, summary: "base rate with a burst at peakRate in the middle fifth" },
  soak: { plan: soak, summary: "a steady rate held 30 minutes or more" },
};

export function planLoad(def: LoadModel): LoadPlan {
  return SCENARIOS[def.scenario].plan(def);
}
