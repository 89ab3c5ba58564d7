import { ExpectationSpec, SteadyStateCheck, type ExpectationDef } from "../core/experiment-spec.js";
import type { Endpoints } from "../core/environment.js";
import { buildProbe, buildSteadyStateCheck } from "./probe-factory.js";
import { AlertProbe } from "./alert-probe.js";
import { MetricProbe } from "./metric-probe.js";
import { TraceProbe } from "./trace-probe.js";
import { LogProbe } from "./log-probe.js";
import { MonitoringProbe } from "./monitoring-probe.js";
import { ApiHealthProbe } from "./api-health-probe.js";

const endpoints: Endpoints = {
  api: "http://127.0.0.1:1", prometheus: "http://127.0.0.1:2", alertmanager: "http://127.0.0.1:3", jaeger: "http://127.0.0.1:4",
  logs: "http://127.0.0.1:5", logsBackend: "victorialogs", collector: "http://127.0.0.1:6", postgres: "postgresql://x", alertReceiver: "http://127.0.0.1:7", runDir: "/tmp/x",
};
const def = (raw: Record<string, unknown>): ExpectationDef => ExpectationSpec.parse({ id: "e", within: "60s of pool-exhausted.start", ...raw });

describe("buildProbe", () => {
  it("should parse the string form of a metric into query, comparator and number", () => {
    const probe = buildProbe(def({ metric: "job:genomics_api_error_ratio:rate1m > 0.01" }), endpoints);
    expect(probe).toBeInstanceOf(MetricProbe);
    expect(probe.describe()).toBe("job:genomics_api_error_ratio:rate1m > 0.01");
  });

  it("should name the expectation when a metric cannot be parsed", () => {
    expect(() => buildProbe(def({ id: "error-ratio-rises", metric: "job:genomics_api_error_ratio:rate1m" }), endpoints)).toThrow(/^expectation "error-ratio-rises": metric: expected PromQL ending in a comparison/);
    expect(() => buildProbe(def({ id: "half", metric: { query: "x", op: ">" } }), endpoints)).toThrow(/expectation "half": metric: "op" and "value" go together/);
  });

  it("should take the object form with a hold, and kind resolves as 'stops holding'", () => {
    expect(buildProbe(def({ metric: { query: "x", op: ">=", value: 2, for: "30s" } }), endpoints).describe()).toBe("x >= 2 for 30.0 s");
    expect(buildProbe(def({ kind: "resolves", metric: "x > 0.01" }), endpoints).describe()).toBe("x > 0.01 stops holding");
  });

  it("should build alert probes, kind resolves meaning state resolved", () => {
    const paged = buildProbe(def({ alert: { name: "AnalysisAPIErrorBudgetBurn", state: "notified" } }), endpoints);
    expect(paged).toBeInstanceOf(AlertProbe);
    expect(paged.describe()).toBe("alert AnalysisAPIErrorBudgetBurn paged (webhook notified)");
    expect(buildProbe(def({ kind: "resolves", alert: { name: "A" } }), endpoints).describe()).toBe("alert A has resolved");
  });

  it("should build trace, log and monitoring probes", () => {
    const trace = buildProbe(def({ trace: { service: "genomics-api", operation: "variant-analysis", error: true, minDuration: "2s" } }), endpoints);
    expect(trace).toBeInstanceOf(TraceProbe);
    expect(trace.describe()).toBe("trace with a span of service genomics-api, operation variant-analysis, error status, at least 2.0 s");
    const log = buildProbe(def({ log: '{service_name="genomics-api"} |= "too many clients"' }), endpoints);
    expect(log).toBeInstanceOf(LogProbe);
    expect(log.describe()).toMatch(/^a log line matching LogsQL /);
    expect(buildProbe(def({ log: { query: "x", minLines: 3, withTraceId: true } }), { ...endpoints, logsBackend: "loki" }).describe()).toBe("at least 3 log lines with a trace id matching LogQL x");
    expect(buildProbe(def({ monitoring: {} }), endpoints)).toBeInstanceOf(MonitoringProbe);
  });

  it("should refuse resolves for signals that do not clear, and event probes where there is no cluster, naming the expectation", () => {
    expect(() => buildProbe(def({ id: "spans", kind: "resolves", trace: { service: "a" } }), endpoints)).toThrow(/expectation "spans": kind: "resolves" needs a metric or alert probe/);
    expect(() => buildProbe(def({ id: "evicted", event: { reason: "Evicted" } }), endpoints)).toThrow(/expectation "evicted": event: this environment has no Kubernetes cluster to read events from; use env.provider kind or existing/);
  });
});

describe("buildSteadyStateCheck", () => {
  it.each([
    ["api-p99-under-2s", MetricProbe, "appears", "job:genomics_api_p99_latency_seconds < 2"],
    ["no-alert-firing", MetricProbe, "stays-absent", 'ALERTS{alertstate="firing"}'],
    ["targets-up", MonitoringProbe, "appears", "monitoring healthy: targets-up"],
    ["api-healthy", ApiHealthProbe, "appears", "GET /health answers 200"],
  ] as const)("should build %s", async (name, type, kind, description) => {
    const plan = buildSteadyStateCheck(SteadyStateCheck.parse(name), endpoints);
    expect(plan.probe).toBeInstanceOf(type);
    expect(plan.def).toMatchObject({ id: name, kind });
    expect(plan.probe.describe()).toBe(description);
    expect(plan.allowPreexisting).toBe(true);
    expect(await plan.anchor()).toBeInstanceOf(Date);
  });

  it("should build an object check with its own window", () => {
    const plan = buildSteadyStateCheck(SteadyStateCheck.parse({ id: "quiet", kind: "stays-absent", within: "20s", metric: "errors > 0" }), endpoints);
    expect(plan.def).toEqual({ id: "quiet", kind: "stays-absent", within: "20s" });
    expect(plan.probe.describe()).toBe("errors > 0");
  });
});
