import axios from "axios";
import { LocalEnvironment, type StartedLocalEnvironment } from "../env/local/index.js";
import { signalComponent } from "../env/local/component-control.js";
import type { Endpoints } from "../env/environment.js";
import { ExpectationSpec } from "../runner/experiment-schema.js";
import { Timeline } from "../runner/timeline.js";
import { newTraceparent } from "../runner/stack-check.js";
import type { ExpectationResult } from "../runner/report-schema.js";
import { eventually } from "../test/eventually.js";
import { buildProbe, runExpectation, sharedMonitoring, type ExpectationContext } from "./index.js";
import { PrometheusClient } from "./clients/index.js";
import { sleep } from "./utils/times.js";

/**
 * Monitoring goes blind during a run: Prometheus stops answering, or the collector stops
 * passing telemetry on. Expectations that would otherwise fail (or pass by absence) must come
 * out inconclusive with the cause named; a signal actually seen still counts.
 */
describe("expectations while monitoring is blind", () => {
  let env: StartedLocalEnvironment;
  let endpoints: Endpoints;
  const timeline = new Timeline();
  const stopped = new Set<string>();
  const verdicts: ExpectationResult[] = [];

  beforeAll(async () => {
    env = await new LocalEnvironment().start();
    endpoints = env.getEndpoints();
    await eventually(async () => {
      const targets = await new PrometheusClient(endpoints.prometheus).targets();
      expect(targets.every((t) => t.health === "up")).toBe(true);
    });
  });
  afterAll(async () => {
    for (const name of stopped) signalComponent(endpoints.runDir, name, "SIGCONT");
    await env?.stop();
    console.log(verdicts.map((r) => `${r.id}: ${r.verdict} (${r.polls} polls, ${r.errors} errors) ${r.reason ?? ""}`).join("\n"));
  });

  const pause = (name: string) => (signalComponent(endpoints.runDir, name, "SIGSTOP"), stopped.add(name));
  const resume = (name: string) => (signalComponent(endpoints.runDir, name, "SIGCONT"), stopped.delete(name));
  const ctx = (extra: Partial<ExpectationContext> = {}): ExpectationContext => ({ endpoints, timeline, monitoring: sharedMonitoring(endpoints), ...extra });
  function run(raw: Record<string, unknown>, anchorAt: Date, extra: Partial<ExpectationContext> = {}): Promise<ExpectationResult> {
    const def = ExpectationSpec.parse({ within: "12s of run-start", ...raw });
    return runExpectation({ def, probe: buildProbe(def, endpoints), anchor: async () => anchorAt, deadlineLabel: def.within }, ctx(extra)).then((r) => (verdicts.push(r), r));
  }
  const traced = async () => {
    const t = newTraceparent();
    const response = await axios.get(`${endpoints.api}/analysis/P000003`, { headers: { traceparent: t.header }, proxy: false, timeout: 10_000 });
    expect(response.status).toBe(200);
    return { ...t, sentAt: new Date() };
  };

  it("should make metric expectations inconclusive, naming Prometheus, when it stops answering mid-poll", async () => {
    const request = await traced();
    const anchorAt = new Date(request.sentAt.getTime() - 1000);
    const running = Promise.all([
      run({ id: "errors-rise", metric: "job:genomics_api_error_ratio:rate1m > 0.5" }, anchorAt),
      run({ id: "nothing-fires", kind: "stays-absent", metric: { query: 'ALERTS{alertstate="firing"}' } }, anchorAt),
      // A trace actually seen is evidence whatever Prometheus does.
      run({ id: "request-traced", trace: { service: "genomics-api", operation: "variant-analysis", tags: { "patient.id": "P000003" } } }, anchorAt),
    ]);
    await sleep(2000);
    pause("prometheus");
    const [errorsRise, nothingFires, requestTraced] = await running.finally(() => resume("prometheus"));
    for (const r of [errorsRise, nothingFires]) {
      expect({ id: r.id, verdict: r.verdict }).toEqual({ id: r.id, verdict: "inconclusive" });
      expect(r.reason).toMatch(/^Prometheus stopped answering at .* before the deadline .*Prometheus GET .*\/api\/v1\/query_range/);
      expect(r.errors).toBeGreaterThan(0);
    }
    expect(requestTraced.verdict).toBe("pass");
    expect(timeline.events("probe-error").some((e) => e.id === "errors-rise" && String(e.data?.error).startsWith("Prometheus"))).toBe(true);
  });

  it("should stay inconclusive when Prometheus comes back before the deadline after a silence longer than the blind gap", async () => {
    await eventually(() => new PrometheusClient(endpoints.prometheus).query("up"));
    const anchorAt = new Date();
    const running = run({ id: "errors-rise-again", metric: "job:genomics_api_error_ratio:rate1m > 0.5", within: "22s of run-start" }, anchorAt, { monitoring: undefined });
    await sleep(2000);
    pause("prometheus");
    await sleep(13_000);
    resume("prometheus");
    const result = await running;
    expect(result.verdict).toBe("inconclusive");
    expect(result.reason).toMatch(/Prometheus did not answer for 1\d\.\d s .*longer than the 10\.0 s it may miss .*Prometheus/);
  });

  it("should make trace and log expectations inconclusive when the collector stops, where a bare check would fail", async () => {
    await eventually(async () => {
      const targets = await new PrometheusClient(endpoints.prometheus).targets();
      expect(targets.every((t) => t.health === "up")).toBe(true);
    });
    pause("otel-collector");
    const request = await traced();
    const anchorAt = new Date(request.sentAt.getTime() - 500);
    const spec = { trace: { service: "genomics-api", operation: "variant-analysis", tags: { "patient.id": "P000003" } }, within: "15s of run-start" };
    const [trace, log, bare] = await Promise.all([
      run({ id: "request-traced-blind", ...spec }, anchorAt),
      run({ id: "request-logged-blind", log: `trace_id:="${request.traceId}"`, within: "15s of run-start" }, anchorAt),
      run({ id: "request-traced-unguarded", ...spec, requiresMonitoring: false }, anchorAt),
    ]).finally(() => resume("otel-collector"));
    for (const r of [trace, log]) {
      expect({ id: r.id, verdict: r.verdict }).toEqual({ id: r.id, verdict: "inconclusive" });
      expect(r.reason).toMatch(/monitoring was blind during the window: .*otel-collector-internal/);
      expect(r.evidence.some((e) => /otel-collector-internal: down/.test(e.result))).toBe(true);
    }
    expect(bare.verdict).toBe("fail");
    expect(timeline.events("note").some((e) => e.id === "request-traced-blind" && e.data?.monitoringBlind)).toBe(true);
  });

  it("should make metric and monitoring expectations inconclusive when Prometheus is killed", async () => {
    signalComponent(endpoints.runDir, "prometheus", "SIGKILL");
    const anchorAt = new Date();
    const [metric, monitoring] = await Promise.all([
      run({ id: "errors-rise-dead", metric: "job:genomics_api_error_ratio:rate1m > 0.5", within: "4s of run-start" }, anchorAt),
      run({ id: "monitoring-sees-dead", monitoring: { check: "all" }, within: "4s of run-start" }, anchorAt),
    ]);
    expect(metric.verdict).toBe("inconclusive");
    expect(metric.reason).toMatch(/Prometheus never answered .*Prometheus GET .*ECONNREFUSED/);
    expect(monitoring.verdict).toBe("inconclusive");
    expect(monitoring.reason).toMatch(/Prometheus unreachable/);
  });
});
