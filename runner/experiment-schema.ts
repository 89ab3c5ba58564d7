import { experimentSpec } from "../core/experiment-spec.js";
import { PROBE_KINDS } from "../assertions/index.js";
import { PROVIDER_NAMES } from "../env/provider-registry.js";

/** The experiment file's format, with the parts the probe and provider registries bring. */
const spec = experimentSpec({
  probes: Object.fromEntries(PROBE_KINDS.map((k) => [k.key, k.spec])),
  steadyStateProbes: PROBE_KINDS.filter((k) => k.steadyState).map((k) => k.key),
  providers: PROVIDER_NAMES,
});

export const ExperimentSpec = spec.experiment;
export const ExpectationSpec = spec.expectation;
export const SteadyStateCheck = spec.steadyState;
export const PROBE_KEYS = PROBE_KINDS.map((k) => k.key);
