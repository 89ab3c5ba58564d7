import type { Endpoints } from "../core/environment.js";
import { ExpectationSpec } from "../runner/experiment-schema.js";
import { planExpectation, planSteadyState } from "../test/expectations.js";
import { AlertProbe } from "./alert-probe.js";
import { ApiHealthProbe } from "./api-health-probe.js";
import { LoadProbe } from "./load-probe.js";
import { LogProbe } from "./log-probe.js";
import { MetricProbe } from "./metric-probe.js";
import { MonitoringProbe } from "./monitoring-probe.js";
import { PROBE_KINDS } from "./probe-registry.js";
import { QuietAlertsProbe } from "./quiet-alerts-probe.js";
import { TraceProbe } from "./trace-probe.js";

const endpoints: Endpoints = {
  api: "http://127.0.0.1:1",
  prometheus: "http://127.0.0.1:2",
  alertmanager: "http://127.0.0.1:3",
  jaeger: "http://127.0.0.1:4",
  logs: "http://127.0.0.1:5",
  logsBackend: "victorialogs",
  collector: "http://127.0.0.1:6",
  postgres: "postgresql://x",
  alertReceiver: "http://127.0.0.1:7",
  runDir: "/tmp/x",
};
const probe = (raw: Record<string, unknown>, on: Endpoints = endpoints) =>
  planExpectation({ id: "e", within: "60s of pool-exhausted.start", ...raw }, on, new Date()).probe;

describe("the probe registry", () => {
  it("should have one kind per key, each with a summary, a spec and the kinds it judges", () => {
    const keys = PROBE_KINDS.map((k) => k.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of PROBE_KINDS)
      expect({ key: k.key, summary: k.summary.length > 10, kinds: k.kinds.length > 0 }).toEqual({ key: k.key, summary: true, kinds: true });
  });

  it("should parse the string form of a metric into query, comparator and number", () => {
    const metric = probe({ metric: "job:genomics_api_error_ratio:rate1m > 0.01" });
    expect(metric).toBeInstanceOf(MetricProbe);
    expect(metric.describe()).toBe("job:genomics_api_error_ratio:rate1m > 0.01");
  });

  it("should refuse, in the file's own terms, a metric that cannot be parsed or an op without a value", () => {
    const bad = ExpectationSpec.safeParse({ id: "error-ratio-rises", within: "60s of run-start", metric: "job:genomics_api_error_ratio:rate1m" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.message).join(" | ")).toMatch(/expected PromQL ending in a comparison .*write it as '<PromQL> <op> <number>'/);
    const half = ExpectationSpec.safeParse({ id: "half", within: "60s of run-start", metric: { query: "x", op: ">" } });
    expect(half.error!.issues.map((i) => i.message).join(" | ")).toMatch(/"op" and "value" go together/);
  });

  it("should take the object form with a hold, and kind resolves as 'stops holding'", () => {
    expect(probe({ metric: { query: "x", op: ">=", value: 2, for: "30s" } }).describe()).toBe("x >= 2 for 30.0 s");
    expect(probe({ kind: "resolves", metric: "x > 0.01" }).describe()).toBe("x > 0.01 stops holding");
  });

  it("should build alert probes, kind resolves meaning state resolved", () => {
    const paged = probe({ alert: { name: "AnalysisAPIErrorBudgetBurn", state: "notified" } });
    expect(paged).toBeInstanceOf(AlertProbe);
    expect(paged.describe()).toBe("alert AnalysisAPIErrorBudgetBurn paged (webhook notified)");
    expect(probe({ kind: "resolves", alert: { name: "A" } }).describe()).toBe("alert A has resolved");
  });

  it("should build trace, log, monitoring, health and load probes", () => {
    const trace = probe({ trace: { service: "genomics-api", operation: "variant-analysis", error: true, minDuration: "2s" } });
    expect(trace).toBeInstanceOf(TraceProbe);
    expect(trace.describe()).toBe("trace with a span of service genomics-api, operation variant-analysis, error status, at least 2.0 s");
    const log = probe({ log: '{service_name="genomics-api"} |= "too many clients"' });
    expect(log).toBeInstanceOf(LogProbe);
    expect(log.describe()).toMatch(/^a log line matching LogsQL /);
    expect(probe({ log: { query: "x", minLines: 3, withTraceId: true } }, { ...endpoints, logsBackend: "loki" }).describe()).toBe(
      "at least 3 log lines with a trace id matching LogQL x",
    );
    expect(probe({ monitoring: {} })).toBeInstanceOf(MonitoringProbe);
    expect(probe({ health: { path: "/ready" } }).describe()).toBe("GET /ready answers 200");
    expect(probe({ load: { condition: "p99_seconds > 2", window: "30s" } })).toBeInstanceOf(LoadProbe);
  });

  it("should refuse an event probe where there is no cluster", () => {
    expect(() => probe({ event: { reason: "Evicted" } })).toThrow(
      /this environment has no Kubernetes cluster to read events from; use env.provider kind or existing/,
    );
  });
});

describe("steady-state checks", () => {
  it("should build a check of the experiment's own from its probe", () => {
    const plan = planSteadyState({ id: "p99-under-2s", metric: "job:checkout_api_p99_latency_seconds < 2" }, endpoints);
    expect(plan.probe).toBeInstanceOf(MetricProbe);
    expect(plan.def).toMatchObject({ id: "p99-under-2s", kind: "appears" });
    expect(plan.probe.describe()).toBe("job:checkout_api_p99_latency_seconds < 2");
  });

  it.each([
    ["no-alert-firing", QuietAlertsProbe, "stays-absent", 'ALERTS{alertstate="firing", alertname!~"Watchdog|InfoInhibitor|DeadMansSwitch"}'],
    ["targets-up", MonitoringProbe, "appears", "monitoring healthy: targets-up"],
    ["api-healthy", ApiHealthProbe, "appears", "GET /health answers 200"],
  ] as const)("should build %s", async (name, type, kind, description) => {
    const plan = planSteadyState(name, endpoints);
    expect(plan.probe).toBeInstanceOf(type);
    expect(plan.def).toMatchObject({ id: name, kind });
    expect(plan.probe.describe()).toBe(description);
    expect(plan.allowPreexisting).toBe(true);
    expect(await plan.anchor()).toBeInstanceOf(Date);
  });

  it("should build an object check with its own window", () => {
    const plan = planSteadyState({ id: "quiet", kind: "stays-absent", within: "20s", metric: "errors > 0" }, endpoints);
    expect(plan.def).toEqual({ id: "quiet", kind: "stays-absent", within: "20s" });
    expect(plan.withinMs).toBe(20_000);
    expect(plan.probe.describe()).toBe("errors > 0");
  });
});
