import type { Endpoints } from "../core/environment.js";
import type { SteadyStateDef } from "../core/experiment-spec.js";
import type { Probe } from "./probe.js";
import { PrometheusClient } from "./clients/index.js";
import { ApiHealthProbe } from "./api-health-probe.js";
import { MetricProbe } from "./metric-probe.js";
import { MonitoringProbe } from "./monitoring-probe.js";
import type { ExpectationKind } from "./verdict-rules.js";

export type NamedSteadyStateCheck = Extract<SteadyStateDef, string>;

/** A steady-state check in the shape the expectation runner takes. */
export interface SteadyStateExpectation {
  id: string;
  kind: ExpectationKind;
  /** A bare duration: steady-state checks are anchored where they start. */
  within: string;
}

/**
 * The named checks. `no-alert-firing` watches for a whole 10 s (two rule evaluations of the
 * local stack), since absence needs a window; the others pass as soon as they hold.
 */
const NAMED: Record<NamedSteadyStateCheck, Omit<SteadyStateExpectation, "id">> = {
  "api-p99-under-2s": { kind: "appears", within: "30s" },
  "no-alert-firing": { kind: "stays-absent", within: "10s" },
  "targets-up": { kind: "appears", within: "30s" },
  "api-healthy": { kind: "appears", within: "30s" },
};

export function steadyStateExpectation(check: SteadyStateDef): SteadyStateExpectation {
  if (typeof check === "string") return { id: check, ...NAMED[check] };
  return { id: check.id, kind: check.kind ?? "appears", within: check.within ?? "30s" };
}

export function steadyStateProbe(check: NamedSteadyStateCheck, endpoints: Endpoints): Probe {
  switch (check) {
    case "api-p99-under-2s":
      return new MetricProbe(new PrometheusClient(endpoints.prometheus), { query: "job:genomics_api_p99_latency_seconds", op: "<", value: 2 });
    case "no-alert-firing":
      return new MetricProbe(new PrometheusClient(endpoints.prometheus), { query: 'ALERTS{alertstate="firing"}' });
    case "targets-up":
      return new MonitoringProbe(endpoints, "targets-up");
    case "api-healthy":
      return new ApiHealthProbe(endpoints.api);
  }
}

