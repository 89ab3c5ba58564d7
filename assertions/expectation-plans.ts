import type { Endpoints } from "../core/environment.js";
import type { ExpectationModel, SteadyStateModel } from "../core/experiment-model.js";
import type { ExpectationPlan } from "./expectation-runner.js";
import { buildProbe } from "./probe-registry.js";

/** An expectation ready for runExpectation, its anchor awaited from the run. */
export function expectationPlan(e: ExpectationModel, endpoints: Endpoints, anchor: (name: string) => Promise<Date | undefined>): ExpectationPlan {
  return {
    def: { id: e.id, kind: e.kind, within: e.within },
    probe: buildProbe(e.probe, e.kind, endpoints),
    anchor: () => anchor(e.anchor),
    withinMs: e.withinMs,
    deadlineLabel: e.deadlineLabel,
  };
}

/** A steady-state check ready for runExpectation: anchored when it starts, a standing condition passes. */
export function steadyStatePlan(check: SteadyStateModel, endpoints: Endpoints): ExpectationPlan {
  return {
    def: { id: check.id, kind: check.kind, within: check.within },
    probe: buildProbe(check.probe, check.kind, endpoints),
    anchor: () => Promise.resolve(new Date()),
    withinMs: check.withinMs,
    deadlineLabel: `${check.within} from the check's start`,
    allowPreexisting: true,
  };
}
