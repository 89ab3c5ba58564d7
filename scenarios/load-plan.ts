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

/** The rate Vegeta is given: per minute, so a rate that is no whole number per second (a third of 10/s: 200/1m) is kept. */
export function vegetaRate(stage: LoadStage): string {
  return stage.ratePerSecond === 0 ? "0" : `${Math.max(1, Math.round(stage.ratePerSecond * 60))}/1m`;
}

/** Enough workers for every request in flight at the timeout and no more; a closed stage has exactly its own. */
export function maxWorkers(stage: LoadStage, timeoutMs: number): number {
  return stage.ratePerSecond === 0 ? (stage.workers ?? 10) : Math.ceil(stage.ratePerSecond * (timeoutMs / 1000)) + 10;
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
