export { preflight, stackRuleFiles, type PreflightOptions } from "./preflight.js";
export type { CheckResult, CheckStatus } from "./check-result.js";
export { checkTemplates, templateFunctions } from "./template-check.js";
export { checkMetricsExposed, parseExposition, type Exposition } from "./metric-check.js";
export { checkRoutes } from "./route-check.js";
export { checkSloFiles } from "./slo-check.js";
