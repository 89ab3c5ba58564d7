import { existsSync, readdirSync } from "node:fs";
import axios from "axios";
import { LocalEnvironment } from "./local-environment.js";
import type { StartedLocalEnvironment } from "./started-local-environment.js";
import { isAlive } from "../../core/process-identity.js";
import { JaegerClient, PrometheusClient, VictoriaLogsClient } from "../../assertions/clients/index.js";
import { newTraceparent } from "../../runner/stack-check.js";
import { eventually } from "../../test/eventually.js";
import { connectionRefusal } from "../../chaos/utils/pg-sessions.js";
import { targetScratchDir } from "./components/service-target.js";

describe("LocalEnvironment", () => {
  let env: StartedLocalEnvironment;
  const traced = newTraceparent();

  beforeAll(async () => {
    env = await new LocalEnvironment().start();
    for (let i = 1; i <= 10; i++) {
      const headers = i === 1 ? { traceparent: traced.header } : {};
      const response = await axios.get(`${env.getEndpoints().api}/analysis/P${String(i).padStart(6, "0")}`, { headers, proxy: false });
      expect(response.status).toBe(200);
    }
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("should print every endpoint on 127.0.0.1 and a run directory", () => {
    const endpoints = env.getEndpoints();
    for (const key of ["api", "prometheus", "alertmanager", "jaeger", "logs", "collector", "alertReceiver"] as const) {
      expect(endpoints[key]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
    expect(endpoints.postgres).toMatch(/^postgresql:\/\/postgres:[\w-]{24}@127\.0\.0\.1:\d+\/genomics$/);
    expect(existsSync(endpoints.runDir)).toBe(true);
  });

  it("should let the superuser in with the stack's password only, not by trust", async () => {
    const url = new URL(env.getEndpoints().postgres);
    const login = (password: string) => connectionRefusal(Object.assign(new URL(url.toString()), { password }).toString());
    expect(await login(url.password)).toBeUndefined();
    // Without a password the server asks for SCRAM, which the client cannot answer.
    expect((await login(""))?.message).toMatch(/SCRAM-SERVER-FIRST-MESSAGE: client password must be a string/);
    expect((await login("guess"))?.message).toBe('password authentication failed for user "postgres"');
  });

  it("should report a version for every component", () => {
    const names = env
      .getComponents()
      .map((c) => c.name)
      .sort();
    expect(names).toEqual(["alert-receiver", "alertmanager", "genomics-api", "jaeger", "otel-collector", "postgres", "prometheus", "victoria-logs"]);
    for (const c of env.getComponents()) expect(c.version).not.toMatch(/^$|unknown/);
  });

  it("should have Prometheus scrape the API's django-prometheus series under job genomics-api", async () => {
    const prometheus = new PrometheusClient(env.getEndpoints().prometheus);
    const samples = await eventually(async () => {
      const found = await prometheus.query(
        'sum(django_http_responses_total_by_status_view_method_total{job="genomics-api", view="variant-analysis", status="200"})',
      );
      expect(found[0]?.value).toBeGreaterThanOrEqual(10);
      return found;
    });
    expect(samples).toHaveLength(1);
  });

  it("should have Prometheus see every scrape target up", async () => {
    const prometheus = new PrometheusClient(env.getEndpoints().prometheus);
    await eventually(async () => {
      const targets = await prometheus.targets();
      expect(targets.map((t) => t.job).sort()).toEqual([
        "alertmanager",
        "genomics-api",
        "jaeger",
        "otel-collector",
        "otel-collector-internal",
        "prometheus",
        "victoria-logs",
      ]);
      for (const t of targets) expect({ job: t.job, health: t.health, error: t.lastError }).toEqual({ job: t.job, health: "up", error: "" });
    });
  });

  it("should load the SLI recording rules and the burn alert", async () => {
    const prometheus = new PrometheusClient(env.getEndpoints().prometheus);
    // A ratio needs traffic in its window: 0/0 is NaN, so keep requests flowing while waiting.
    await eventually(async () => {
      await axios.get(`${env.getEndpoints().api}/analysis/P000042`, { proxy: false });
      const ratio = await prometheus.query("job:genomics_api_error_ratio:rate1m");
      expect(ratio[0]?.value).toBe(0);
    }, 60_000);
    const rules = await axios.get(`${env.getEndpoints().prometheus}/api/v1/rules`, { params: { type: "alert" }, proxy: false });
    const alerts = rules.data.data.groups.flatMap((g: { rules: { name: string; health: string }[] }) => g.rules);
    expect(alerts).toContainEqual(expect.objectContaining({ name: "AnalysisAPIErrorBudgetBurn", health: "ok" }));
  });

  it("should store the request's trace in Jaeger with the variant-analysis span and a psycopg2 child span", async () => {
    const jaeger = new JaegerClient(env.getEndpoints().jaeger);
    const trace = await eventually(async () => {
      const t = await jaeger.getTrace(traced.traceId);
      expect(t?.spans.map((s) => s.operationName)).toContain("variant-analysis");
      return t!;
    });
    const analysis = trace.spans.find((s) => s.operationName === "variant-analysis")!;
    expect(analysis.tags).toEqual(expect.arrayContaining([expect.objectContaining({ key: "patient.id", value: "P000001" })]));
    const dbSpan = trace.spans.find((s) => s.tags.some((t) => t.key === "db.system" && t.value === "postgresql"));
    expect(dbSpan).toBeDefined();
    expect(dbSpan!.references[0]?.spanID).toBe(analysis.spanID);
    expect(trace.processes[dbSpan!.processID]?.serviceName).toBe("genomics-api");
  });

  it("should ship a log line carrying the request's trace id to the log store", async () => {
    const logs = new VictoriaLogsClient(env.getEndpoints().logs);
    const entries = await eventually(async () => {
      const found = await logs.query(`trace_id:"${traced.traceId}"`);
      expect(found.length).toBeGreaterThan(0);
      return found;
    });
    expect(entries[0]!._msg).toContain("P000001");
    expect(entries[0]!["service.name"]).toBe("genomics-api");
  });

  it("should give the service a TMPDIR inside the run directory, where gunicorn keeps its workers' metrics", () => {
    expect(readdirSync(targetScratchDir(env.getEndpoints().runDir, "genomics-api"))).toEqual([expect.stringMatching(/^genomics-api-metrics-/)]);
  });

  it("should stop every process and remove the run directory", async () => {
    const state = env.getState();
    await env.stop();
    for (const p of state.processes) expect({ name: p.name, alive: isAlive(p.pid) }).toEqual({ name: p.name, alive: false });
    expect(existsSync(env.getEndpoints().runDir)).toBe(false);
  });
});
