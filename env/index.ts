export type { Environment, StartedEnvironment, Endpoints, ComponentInfo, ComponentName } from "../core/environment.js";
export { LocalEnvironment, StartedLocalEnvironment, cleanStaleRuns, stopAllStacks } from "./local/index.js";
