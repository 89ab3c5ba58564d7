export { LocalEnvironment } from "./local-environment.js";
export { LOCAL_SCRAPE_JOBS } from "./components/prometheus.js";
export { StartedLocalEnvironment } from "./started-local-environment.js";
export { cleanStaleRuns, stopAllStacks } from "./stale-runs.js";
export { listRunDirs, readState, type StackState } from "./stack-state.js";
