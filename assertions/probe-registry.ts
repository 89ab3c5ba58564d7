import type { Endpoints } from "../core/environment.js";
import type { ExpectationKind, ProbeRequest } from "../core/experiment-model.js";
import type { Probe } from "./probe.js";
import type { ProbeKind } from "./probe-kind.js";
import { alertProbeKind } from "./alert-probe.js";
import { healthProbeKind } from "./api-health-probe.js";
import { eventProbeKind } from "./event-probe.js";
import { loadProbeKind } from "./load-probe.js";
import { logProbeKind } from "./log-probe.js";
import { metricProbeKind } from "./metric-probe.js";
import { monitoringProbeKind } from "./monitoring-probe.js";
import { traceProbeKind } from "./trace-probe.js";
import { quietAlertsProbe } from "./quiet-alerts-probe.js";
import { QUIET_ALERTS_PROBE } from "../core/always-firing-alerts.js";

/** Every probe kind; the experiment spec, the loader, dry-run and `list` all read this. */
// Each kind is typed by its own spec; the registry only hands a spec back to the kind that parsed it.
export const PROBE_KINDS = [
  metricProbeKind,
  alertProbeKind,
  traceProbeKind,
  logProbeKind,
  monitoringProbeKind,
  eventProbeKind,
  loadProbeKind,
  healthProbeKind,
] as unknown as readonly ProbeKind<unknown>[];

export function probeKindFor(key: string): ProbeKind<unknown> {
  const kind = PROBE_KINDS.find((k) => k.key === key);
  if (!kind) throw new Error(`unknown probe "${key}"; expected one of ${PROBE_KINDS.map((k) => k.key).join(", ")}`);
  return kind;
}

/** The probe a request asks for, built for this environment. */
export function buildProbe(request: ProbeRequest, kind: ExpectationKind, endpoints: Endpoints): Probe {
  // Built from the experiment's alerts: block, not a file field of its own, so it is no probe kind.
  if (request.key === QUIET_ALERTS_PROBE) return quietAlertsProbe(request.spec as { alwaysFiring: readonly string[] }, endpoints);
  return probeKindFor(request.key).build(request.spec, { endpoints, kind });
}
