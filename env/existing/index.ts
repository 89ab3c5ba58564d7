export { ExistingEnvironment, StartedExistingEnvironment } from "./existing-environment.js";
export { parseExistingOptions, DEFAULT_PROTECTED_CONTEXTS, type ExistingOptions } from "./existing-options.js";
export { guardContext } from "./context-guard.js";
