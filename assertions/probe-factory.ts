import type { Endpoints } from "../core/environment.js";
import { LOAD_CONDITION, type ExpectationDef, type SteadyStateDef } from "../core/experiment-spec.js";
import { parseDuration } from "../core/durations.js";
import type { Probe } from "./probe.js";
import { AlertmanagerClient, AlertReceiverClient, JaegerClient, KubernetesEventsClient, LokiClient, PrometheusClient, VictoriaLogsClient } from "./clients/index.js";
import { loadKubeConfig } from "../core/kube-config.js";
import { EventProbe } from "./event-probe.js";
import { AlertProbe } from "./alert-probe.js";
import type { LogBackend } from "./log-backend.js";
import { LogProbe } from "./log-probe.js";
import { LokiBackend } from "./loki-backend.js";
import { MetricProbe } from "./metric-probe.js";
import { LoadProbe, type LoadMeasure } from "./load-probe.js";
import { MonitoringProbe } from "./monitoring-probe.js";
import { steadyStateExpectation, steadyStateProbe } from "./steady-state.js";
import type { ExpectationPlan } from "./expectation-runner.js";
import { TraceProbe } from "./trace-probe.js";
import { VictoriaLogsBackend } from "./victoria-logs-backend.js";
import { parseMetricCondition } from "./utils/promql-comparison.js";
import type { Comparator } from "./utils/comparator.js";

type MetricSpec = NonNullable<ExpectationDef["metric"]>;
type AlertSpec = NonNullable<ExpectationDef["alert"]>;

export function logBackendFor(endpoints: Endpoints, timeoutMs?: number): LogBackend {
  return endpoints.logsBackend === "loki" ? new LokiBackend(new LokiClient(endpoints.logs, timeoutMs)) : new VictoriaLogsBackend(new VictoriaLogsClient(endpoints.logs, timeoutMs));
}

/** The probe for an expectation or a steady-state check; errors name the expectation and the field. */
export function buildProbe(def: ExpectationDef | SteadyStateDef, endpoints: Endpoints): Probe {
  if (typeof def === "string") return steadyStateProbe(def, endpoints);
  const kind = def.kind ?? "appears";
  const where = (field: string) => `expectation "${def.id}": ${field}`;
  if (def.metric !== undefined) return metricProbe(def.metric, endpoints, kind === "resolves" ? "clears" : "holds", where("metric"));
  if (def.alert !== undefined) return alertProbe(def.alert, endpoints, kind);
  if (def.monitoring !== undefined) {
    if (kind === "resolves") throw new Error(`${where("kind")}: "resolves" needs a metric or alert probe; a monitoring check "appears" when healthy`);
    return new MonitoringProbe(endpoints, def.monitoring.check ?? "all");
  }
  if (!("trace" in def || "log" in def || "event" in def || "load" in def)) throw new Error(`steady-state check "${def.id}": needs one probe: metric, alert or monitoring`);
  if (kind === "resolves") throw new Error(`${where("kind")}: "resolves" needs a metric or alert probe; traces and logs are events that do not clear`);
  if (def.load !== undefined) {
    const spec = typeof def.load === "string" ? { condition: def.load, window: "10s" } : def.load;
    const [, measure, op, value] = LOAD_CONDITION.exec(spec.condition)!;
    return new LoadProbe({ measure: measure as LoadMeasure, op: op as Comparator, value: Number(value), windowMs: parseDuration(spec.window) });
  }
  if (def.trace !== undefined) {
    const t = def.trace;
    return new TraceProbe(new JaegerClient(endpoints.jaeger), new PrometheusClient(endpoints.prometheus), {
      service: t.service,
      ...(t.operation ? { operation: t.operation } : {}),
      ...(t.error !== undefined ? { error: t.error } : {}),
      ...(t.minDuration ? { minDurationMs: parseDuration(t.minDuration) } : {}),
      ...(t.tags ? { tags: t.tags } : {}),
      ...(t.fromLoad ? { fromLoad: true } : {}),
      ...(t.minCoverage !== undefined ? { minCoverage: t.minCoverage } : {}),
    });
  }
  if (def.log !== undefined) {
    const spec = typeof def.log === "string" ? { query: def.log } : def.log;
    return new LogProbe(logBackendFor(endpoints), new PrometheusClient(endpoints.prometheus), spec);
  }
  if (def.event !== undefined) {
    if (!endpoints.kubernetes) {
      throw new Error(`${where("event")}: this environment has no Kubernetes cluster to read events from; use env.provider kind or existing (with env.options.kubeconfig)`);
    }
    const e = def.event;
    return new EventProbe(new KubernetesEventsClient(loadKubeConfig(endpoints.kubernetes)), {
      ...(e.namespace ? { namespace: e.namespace } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.involvedObject ? { involvedObject: e.involvedObject } : {}),
      ...(e.labelSelector ? { labelSelector: e.labelSelector } : {}),
    });
  }
  throw new Error(`expectation "${def.id}": each expectation needs exactly one probe: metric, trace, log, alert, monitoring, event or load`);
}

export function metricProbe(spec: MetricSpec, endpoints: Endpoints, mode: "holds" | "clears", where: string): MetricProbe {
  const prometheus = new PrometheusClient(endpoints.prometheus);
  if (typeof spec === "string") {
    let condition;
    try {
      condition = parseMetricCondition(spec);
    } catch (err) {
      throw new Error(`${where}: ${(err as Error).message}; write it as '<PromQL> <op> <number>' or as { query, op, value }`, { cause: err });
    }
    return new MetricProbe(prometheus, { ...condition, mode });
  }
  if ((spec.op === undefined) !== (spec.value === undefined)) throw new Error(`${where}: "op" and "value" go together, got ${spec.op === undefined ? "value" : "op"} alone`);
  return new MetricProbe(prometheus, {
    query: spec.query,
    ...(spec.op !== undefined ? { op: spec.op as Comparator, value: spec.value! } : {}),
    ...(spec.for ? { forMs: parseDuration(spec.for) } : {}),
    mode,
  });
}

function alertProbe(spec: AlertSpec, endpoints: Endpoints, kind: ExpectationDef["kind"]): AlertProbe {
  // kind "resolves" and state "resolved" mean the same thing; kind wins over the schema's default state.
  const state = kind === "resolves" ? "resolved" : (spec.state ?? "firing");
  return new AlertProbe(
    { prometheus: new PrometheusClient(endpoints.prometheus), alertmanager: new AlertmanagerClient(endpoints.alertmanager), receiver: new AlertReceiverClient(endpoints.alertReceiver) },
    { name: spec.name, ...(spec.labels ? { labels: spec.labels } : {}), state },
  );
}

/** A steady-state check ready for runExpectation: anchored when it starts, a standing condition passes. */
export function buildSteadyStateCheck(check: SteadyStateDef, endpoints: Endpoints): ExpectationPlan {
  const def = steadyStateExpectation(check);
  return {
    def,
    probe: buildProbe(check, endpoints),
    anchor: () => Promise.resolve(new Date()),
    deadlineLabel: `${def.within} from the check's start`,
    allowPreexisting: true,
  };
}
