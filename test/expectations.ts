import type { Endpoints } from "../core/environment.js";
import { expectationModel, steadyStateModel } from "../core/experiment-mapping.js";
import { expectationPlan, steadyStatePlan, type ExpectationPlan } from "../assertions/index.js";
import { ExpectationSpec, PROBE_KEYS, SteadyStateCheck } from "../runner/experiment-schema.js";

/** An expectation written as in an experiment file, ready for runExpectation, anchored at `anchorAt`. */
export function planExpectation(raw: Record<string, unknown>, endpoints: Endpoints, anchorAt: Date): ExpectationPlan {
  return expectationPlan(expectationModel(ExpectationSpec.parse(raw), PROBE_KEYS), endpoints, async () => anchorAt);
}

/** A steady-state check written as in an experiment file (a name or an object), ready for runExpectation. */
export function planSteadyState(raw: unknown, endpoints: Endpoints): ExpectationPlan {
  return steadyStatePlan(steadyStateModel(SteadyStateCheck.parse(raw), PROBE_KEYS), endpoints);
}
