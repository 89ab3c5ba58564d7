export { ExistingEnvironment, StartedExistingEnvironment } from "./existing-environment.js";
export { parseExistingOptions, type ExistingOptions } from "./existing-options.js";
export { guardContext } from "./context-guard.js";
