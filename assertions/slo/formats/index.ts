export { OPENSLO_V1 } from "./openslo-v1.js";
export { OPENSLO_V1ALPHA } from "./openslo-v1alpha.js";
export { SLOTH_PROMETHEUS_V1 } from "./sloth-prometheus-v1.js";
export { PYRRA_V1ALPHA1 } from "./pyrra-v1alpha1.js";
export type { SloFormat } from "./slo-format.js";
