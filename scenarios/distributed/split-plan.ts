import { maxWorkers, vegetaRate, type LoadPlan } from "../load-plan.js";

/**
 * One runner's share of a plan: every stage with its rate (or a closed stage's workers) divided by
 * the number of runners, the durations untouched, so N runners started together send the plan.
 */
export function splitPlan(plan: LoadPlan, runners: number): LoadPlan {
  if (!Number.isInteger(runners) || runners < 1) throw new Error(`distributed load: runners must be a whole number of at least 1, got ${runners}`);
  return {
    ...plan,
    stages: plan.stages.map((s) => ({
      ...s,
      ratePerSecond: s.ratePerSecond / runners,
      ...(s.workers !== undefined ? { workers: Math.max(1, Math.ceil(s.workers / runners)) } : {}),
    })),
  };
}

/** Requests an open-model plan asks for; a closed stage (rate 0) asks for none in particular. */
export function expectedRequests(plan: LoadPlan): number {
  return plan.stages.reduce((sum, s) => sum + s.ratePerSecond * (s.durationMs / 1000), 0);
}

/**
 * The stages as the runner's entrypoint reads them: `name:rate:durationMs:workers:maxWorkers`,
 * space-separated (workers 0 for an open-model stage).
 */
export function runnerStages(plan: LoadPlan): string {
  return plan.stages
    .map((s, i) =>
      [`${plan.scenario}-${i + 1}`, vegetaRate(s), s.durationMs, s.ratePerSecond === 0 ? maxWorkers(s, plan.timeoutMs) : 0, maxWorkers(s, plan.timeoutMs)].join(
        ":",
      ),
    )
    .join(" ");
}
