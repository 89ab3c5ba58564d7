import type { LoadModel, ParamSource, RequestTemplate } from "../core/experiment-model.js";

/** One constant-rate stretch of an attack. */
export interface LoadStage {
  /** 0 means as fast as `workers` concurrent clients can go (a closed model, for capacity runs). */
  ratePerSecond: number;
  durationMs: number;
  workers?: number;
}

/** What a scenario turns an experiment's `load:` into: stages run back to back. */
export interface LoadPlan {
  scenario: string;
  stages: LoadStage[];
  requests: readonly RequestTemplate[];
  params: Readonly<Record<string, ParamSource>>;
  timeoutMs: number;
}

export function totalDurationMs(plan: LoadPlan): number {
  return plan.stages.reduce((sum, s) => sum + s.durationMs, 0);
}

export function basePlan(def: LoadModel): Omit<LoadPlan, "stages" | "scenario"> & { rate: number; durationMs: number; peak: number | undefined } {
  return {
    requests: def.requests,
    params: def.params,
    timeoutMs: def.timeoutMs,
    rate: def.ratePerSecond,
    durationMs: def.durationMs,
    peak: def.peakRatePerSecond,
  };
}
