import axios from "axios";
import { getContainerRuntimeClient } from "testcontainers";
import { buildLocalImages } from "../images/index.js";
import { DockerInjector } from "../../chaos/docker-injector.js";
import { NetworkInjector } from "../../chaos/network-injector.js";
import { PoolExhaustionInjector } from "../../chaos/pool-exhaustion-injector.js";
import { runExpectation } from "../../assertions/index.js";
import { PrometheusClient } from "../../assertions/clients/index.js";
import { planExpectation } from "../../test/expectations.js";
import { newTraceparent } from "../../runner/stack-check.js";
import { Timeline } from "../../core/timeline.js";
import { eventually } from "../../test/eventually.js";
import { analysisRequest, faultContext, faultPlan } from "../../test/fault-context.js";
import type { Endpoints } from "../../core/environment.js";
import { HarnessMetrics } from "../../runner/harness-metrics.js";
import { TestcontainersEnvironment, type StartedTestcontainersEnvironment } from "./index.js";

process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "localhost";

/** The whole stack as containers built here (`slo-harness images build`), on a network of its own. */
describe("TestcontainersEnvironment on local images", () => {
  let env: StartedTestcontainersEnvironment;
  let endpoints: Endpoints;
  let networkName: string;
  let ids: Record<string, string>;
  const metrics = new HarnessMetrics();

  beforeAll(async () => {
    const images = await buildLocalImages();
    const harnessMetrics = { address: await metrics.serve(), listen: (host: string) => metrics.listen(host) };
    env = await new TestcontainersEnvironment().withImages(images).withDbProxy().withHarnessMetrics(harnessMetrics).start();
    endpoints = env.getEndpoints();
    networkName = env.getNetworkName();
    ids = env.containerIds();
    console.log(`testcontainers stack up in ${env.getStartMs()} ms`);
  }, 600_000);

  afterAll(async () => {
    await env?.stop();
    await metrics.close();
  });

  it("should publish every port on 127.0.0.1 only and answer on each endpoint", async () => {
    const client = await getContainerRuntimeClient();
    for (const id of Object.values(ids)) {
      const ports = (await client.container.getById(id).inspect()).NetworkSettings.Ports;
      for (const bindings of Object.values(ports ?? {})) for (const b of bindings ?? []) expect(b.HostIp).toBe("127.0.0.1");
    }
    for (const url of [endpoints.api, endpoints.prometheus, endpoints.alertmanager, endpoints.jaeger, endpoints.logs, endpoints.collector])
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await analysisRequest(endpoints.api)).status).toBe(200);
    await eventually(async () => {
      const targets = await new PrometheusClient(endpoints.prometheus).targets();
      expect(targets.filter((t) => t.health !== "up").map((t) => `${t.job}: ${t.lastError}`)).toEqual([]);
      expect(targets.length).toBeGreaterThanOrEqual(8);
    }, 30_000);
  });

  it("should scrape the harness's own metrics on the network's gateway, so a fault shows as slo_harness_fault_active", async () => {
    const prometheus = new PrometheusClient(endpoints.prometheus);
    const harness = (await prometheus.targets()).filter((t) => t.job === "slo-harness");
    expect(harness.map((t) => t.scrapeUrl)).toEqual([expect.stringMatching(/^http:\/\/(\d+\.){3}\d+:\d+\/metrics$/)]);
    expect(harness[0]!.scrapeUrl).not.toContain("127.0.0.1");
    metrics.track("tc-check")({ kind: "fault-injected", id: "tc-fault", at: new Date().toISOString(), data: { injector: "docker" } });
    await eventually(async () => {
      const samples = await prometheus.query('slo_harness_fault_active{fault="tc-fault"}');
      expect(samples.map((s) => ({ experiment: s.metric.experiment, value: s.value }))).toEqual([{ experiment: "tc-check", value: 1 }]);
    }, 20_000);
  });

  it("should carry a request's trace and logs through the collector to Jaeger and VictoriaLogs", async () => {
    const t = newTraceparent();
    const anchorAt = new Date(Date.now() - 500);
    expect((await axios.get(`${endpoints.api}/analysis/P000004`, { headers: { traceparent: t.header }, proxy: false })).status).toBe(200);
    const timeline = new Timeline();
    const run = (raw: Record<string, unknown>) => {
      return runExpectation(planExpectation({ within: "20s of run-start", ...raw }, endpoints, anchorAt), { endpoints, timeline, pollIntervalMs: 500 });
    };
    const [trace, log] = await Promise.all([
      run({ id: "traced", trace: { service: "genomics-api", operation: "variant-analysis", tags: { "patient.id": "P000004" } } }),
      run({ id: "logged", log: `trace_id:="${t.traceId}"` }),
    ]);
    expect([trace.verdict, log.verdict]).toEqual(["pass", "pass"]);
  });

  it("should swap Prometheus' rules inside its container and reload them", async () => {
    const content = "groups:\n  - name: tc-check\n    rules:\n      - record: tc:up:sum\n        expr: sum(up)\n";
    await env.applyRules([{ name: "tc-check.yml", content }]);
    const groups = (await axios.get(`${endpoints.prometheus}/api/v1/rules`, { proxy: false })).data.data.groups as { name: string }[];
    expect(groups.map((g) => g.name)).toEqual(["tc-check"]);
  });

  it("should exhaust the containerised database's pool with the same injector as locally", async () => {
    const ctx = faultContext(env, { faultId: "pool-exhausted", params: { mode: "connections", hold: "100%" } });
    const handle = await new PoolExhaustionInjector().inject(ctx);
    try {
      expect(handle.effectVerified).toBe(true);
      expect((await analysisRequest(endpoints.api)).status).toBe(503);
    } finally {
      await handle.rollback();
    }
    expect((await analysisRequest(endpoints.api)).status).toBe(200);
  });

  it("should delay the API's database traffic through the Toxiproxy container, and stop on rollback", async () => {
    expect(endpoints.toxiproxy).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const before = await analysisRequest(endpoints.api);
    const ctx = faultContext(env, { faultId: "db-slow", target: "postgres", params: { toxic: "latency", latency: "300ms" } });
    const handle = await new NetworkInjector().inject(ctx);
    let during: Awaited<ReturnType<typeof analysisRequest>>;
    try {
      expect(handle.effectVerified).toBe(true);
      during = await analysisRequest(endpoints.api);
    } finally {
      await handle.rollback();
    }
    expect(during.status).toBe(200);
    expect(during.ms - before.ms).toBeGreaterThan(300);
    expect((await analysisRequest(endpoints.api)).ms).toBeLessThan(during.ms);
  });

  it("should fail trace and log expectations at the paused collector, and call them inconclusive only when the fault declares it", async () => {
    const ctx = faultContext(env, { faultId: "collector-paused", target: "otel-collector", params: { mode: "pause" } });
    const handle = await new DockerInjector().inject(ctx);
    const timeline = new Timeline();
    try {
      expect(handle.evidence).toMatch(/paused/);
      const t = newTraceparent();
      const anchorAt = new Date(Date.now() - 500);
      expect((await axios.get(`${endpoints.api}/analysis/P000005`, { headers: { traceparent: t.header }, proxy: false, timeout: 10_000 })).status).toBe(200);
      const declared = [
        { id: "collector-paused", injector: "docker", target: "otel-collector", from: handle.injectedAt, blinds: ["trace" as const, "log" as const] },
      ];
      const run = (raw: Record<string, unknown>, blinds: boolean) => {
        return runExpectation(planExpectation({ within: "15s of run-start", ...raw }, endpoints, anchorAt), {
          endpoints,
          timeline,
          ...(blinds ? { faults: () => declared } : {}),
        });
      };
      const trace = { id: "traced", trace: { service: "genomics-api", operation: "variant-analysis", tags: { "patient.id": "P000005" } } };
      const log = { id: "logged", log: `trace_id:="${t.traceId}"` };
      const results = await Promise.all([run(trace, false), run(log, false), run(trace, true), run(log, true)]);
      for (const r of results.slice(0, 2)) {
        expect({ id: r.id, verdict: r.verdict, stoppedAt: r.diagnosis?.stoppedAt }).toEqual({ id: r.id, verdict: "fail", stoppedAt: "collector" });
        expect(r.reason).toMatch(/lost at collector: the collector was down/);
      }
      for (const r of results.slice(2)) {
        expect({ id: r.id, verdict: r.verdict }).toEqual({ id: r.id, verdict: "inconclusive" });
        expect(r.reason).toMatch(/collector-paused \(docker on otel-collector.*declares that it blinds trace, log/);
      }
    } finally {
      await handle.rollback();
    }
    expect(ctx.journal.outstanding()).toEqual([]);
  }, 60_000);

  it("should kill Prometheus' container and start it again on the same host port", async () => {
    const ctx = faultContext(env, {
      faultId: "prometheus-crash",
      target: "prometheus",
      params: { mode: "kill-restart", restartAfter: "2s" },
      maxDurationMs: 20_000,
    });
    const handle = await new DockerInjector().inject(ctx);
    expect(handle.evidence).toMatch(/docker reports it exited/);
    await expect(axios.get(`${endpoints.prometheus}/-/ready`, { proxy: false, timeout: 1000 })).rejects.toThrow();
    await handle.rollback();
    await eventually(async () => expect((await axios.get(`${endpoints.prometheus}/-/ready`, { proxy: false, timeout: 1000 })).status).toBe(200), 30_000);
  }, 60_000);

  it("should cut the log store off the network and put it back on rollback, with its port published again", async () => {
    const health = () => axios.get(`${endpoints.logs}/health`, { proxy: false, timeout: 1000 });
    const ctx = faultContext(env, { faultId: "logs-cut-off", target: "victoria-logs", params: { mode: "disconnect" } });
    const handle = await new DockerInjector().inject(ctx);
    try {
      expect(handle.evidence).toMatch(new RegExp(`not ${networkName}`));
      await expect(health()).rejects.toThrow();
    } finally {
      await handle.rollback();
    }
    await eventually(async () => expect((await health()).status).toBe(200), 10_000);
    expect(ctx.journal.outstanding()).toEqual([]);
  });

  it("should refuse a container outside the allowlist and a target that is not a container", () => {
    const injector = new DockerInjector();
    expect(() => injector.describe(faultPlan({ faultId: "f", params: { mode: "pause" }, target: "prometheus", allowlist: ["otel-collector"] }))).toThrow(
      /add it to the experiment's top-level allowlist/,
    );
    expect(() => injector.describe(faultPlan({ faultId: "f", params: { mode: "pause" }, target: "grafana", allowlist: ["grafana"] }))).toThrow(
      /faults\[f\]\.target: expected a container of the testcontainers stack \(postgres, .*\), got "grafana"/,
    );
  });

  it("should leave no container or network behind when stopped", async () => {
    await env.stop();
    const client = await getContainerRuntimeClient();
    const left = (await client.container.list()).filter((c) => Object.values(ids).includes(c.Id));
    expect(left).toEqual([]);
    const networks = await client.network
      .getById(networkName)
      .inspect()
      .then(
        () => "still there",
        (err: { statusCode?: number }) => err.statusCode,
      );
    expect(networks).toBe(404);
    env = undefined as unknown as StartedTestcontainersEnvironment;
  });
});
