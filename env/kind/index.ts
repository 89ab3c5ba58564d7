export { KindEnvironment } from "./kind-environment.js";
export { StartedKindEnvironment } from "./started-kind-environment.js";
export { parseKindOptions, type KindOptions } from "./kind-options.js";
export { CHARTS, KIND_VERSION } from "./chart-versions.js";
