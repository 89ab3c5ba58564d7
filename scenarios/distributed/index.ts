export { DistributedLoad, type DistributedFigures, type DistributedLoadOptions } from "./distributed-load.js";
export { RunnerMerge, type RunnerFigures } from "./runner-merge.js";
export { serviceUrl, assertInClusterUrl, runnerJob, RUNNER_LABEL, type InClusterService } from "./runner-job.js";
export { runnerTargets } from "./runner-targets.js";
export { splitPlan, expectedRequests, runnerStages } from "./split-plan.js";
