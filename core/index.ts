export * from "./environment.js";
export * from "./experiment-model.js";
export {
  experimentSpec,
  FaultSpec,
  LoadSpec,
  SloSpec,
  NAMED_STEADY_STATE,
  BLINDABLE,
  DEADLINE,
  type ExperimentFile,
  type LoadDef,
  type SloDef,
} from "./experiment-spec.js";
export { ALWAYS_FIRING_ALERTS, AlertsSpec } from "./always-firing-alerts.js";
export { experimentModel, expectationModel, steadyStateModel, faultPlan, loadModel } from "./experiment-mapping.js";
export { getTemplate } from "./request-mapping.js";
export { RequestSpec, ParamSpec, PLACEHOLDER, type RequestDef, type ParamDef } from "./request-spec.js";
export * from "./report-schema.js";
export type { AlertQuality, AlertQualityProfile, AlertQualityRule, AlertQualitySlo } from "./alert-quality.js";
export { Timeline, type TimelineEvent } from "./timeline.js";
export { parseDuration, formatDuration, isDuration } from "./durations.js";
export { BadInputError, EXIT, formatIssues, describePath, type InputIssue, type IssueContext } from "./errors.js";
export { isAllowed } from "./allowlist.js";
export { chaosNamespaceRefusal, DEFAULT_PROTECTED_CONTEXTS, NO_OPERATOR_GUARDS, SYSTEM_NAMESPACES, type OperatorGuards } from "./operator-guards.js";
export { AUTH_BACKENDS, BackendAuthSpec, SecretRef, readSecret, resolveBackendAccess, type AuthBackend, type BackendAccess } from "./backend-auth.js";
