import { BatchV1Api, CoreV1Api, KubeConfig, PolicyV1Api } from "@kubernetes/client-node";
import { buildLoadRunnerImage } from "../../env/images/index.js";
import { DistributedLoad, RUNNER_LABEL } from "../../scenarios/distributed/index.js";
import { planLoad } from "../../scenarios/scenario-registry.js";
import { LoadSpec } from "../../core/experiment-spec.js";
import { loadModel } from "../../core/experiment-mapping.js";
import { readHostSettings, type HostSettings } from "./node/host-settings.js";
import { JaegerClient, PrometheusClient } from "../../assertions/clients/index.js";
import { EventProbe } from "../../assertions/event-probe.js";
import { KubernetesEventsClient } from "../../assertions/clients/kubernetes-events.js";
import type { Endpoints, StartedEnvironment } from "../../core/environment.js";
import { ContainerKillInjector } from "../../chaos/container-kill-injector.js";
import { faultContext } from "../fault-context.js";
import { eventually } from "../eventually.js";
import { startControlPlane, type ControlPlane } from "./control-plane.js";
import { killContainer } from "./node/node-containerd.js";
import { nodeLeftovers } from "./node/node-sweep.js";
import { startBackgroundLoad } from "./node/background-load.js";
import type { RealNode } from "./real-node.js";
import { NODE } from "./node/node-layout.js";
import { startStackOnNode, type StackOnNode } from "./node/stack-on-node.js";
import { HarnessMetrics } from "../../runner/harness-metrics.js";
import { freePort } from "../../env/shared/free-port.js";

const NS = "genomics";
const APP = "app=genomics-api";

/**
 * A real node (kubelet, containerd, runc, CNI, kube-proxy) running the genomics API as real pods
 * from the locally built images: an API pod is evicted while load runs through a port-forward on
 * 127.0.0.1, kubelet's own events are found, and the host is left clean.
 */
describe("a real node running the genomics API", () => {
  let cp: ControlPlane;
  let node: RealNode;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let stack: StackOnNode;
  let api: string;
  let hostBefore: HostSettings;
  let runnerImage: string;
  const metrics = new HarnessMetrics();

  beforeAll(async () => {
    hostBefore = readHostSettings();
    cp = await startControlPlane({ kwok: false });
    // No alert fires in these checks; the game days (game-day.suite.ts) start the receiver there.
    runnerImage = await buildLoadRunnerImage();
    // The harness's metrics on the node's bridge address, as the existing provider serves them with env.options.harnessMetrics.
    const harnessMetrics = `${NODE.gateway}:${await freePort()}`;
    stack = await startStackOnNode(cp, { webhookUrl: `http://${NODE.gateway}:9/alerts`, extraImages: [runnerImage], harnessMetrics });
    await metrics.listen(NODE.gateway, Number(harnessMetrics.split(":")[1]));
    node = stack.node;
    process.stderr.write(
      `real node up in ${node.timings.totalMs} ms (images imported in ${node.timings.importMs} ms: ${node.timings.imported.join(", ") || "none, warm"}); stack and target installed and serving ${stack.timings.installMs} ms later\n`,
    );
    kc = stack.kc;
    core = kc.makeApiClient(CoreV1Api);
    api = stack.urls.api;
  }, 900_000);

  afterAll(async () => {
    await metrics.close();
    await stack?.stop();
    await cp?.stop();
  }, 180_000);

  const readyPods = async () =>
    (await core.listNamespacedPod({ namespace: NS, labelSelector: APP })).items.filter(
      (p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
    );

  it("should serve the API from real pods through a port-forward on 127.0.0.1", async () => {
    const res = await fetch(`${api}/health`);
    expect(res.status).toBe(200);
    expect(await readyPods()).toHaveLength(3);
  });

  it("should have Prometheus discover every API pod through the API server and scrape the whole stack", async () => {
    const prometheus = new PrometheusClient(stack.urls.prometheus);
    const up = await eventually(
      async () => {
        const samples = await prometheus.query("up == 1");
        const jobs = samples.map((s) => s.metric.job).sort();
        if (jobs.filter((j) => j === "genomics-api").length < 3 || new Set(jobs).size < 8) throw new Error(`targets up: ${jobs.join(", ")}`);
        return samples;
      },
      60_000,
      1000,
    );
    expect([...new Set(up.map((s) => s.metric.job))].sort()).toEqual([
      "alertmanager",
      "genomics-api",
      "jaeger",
      "otel-collector",
      "otel-collector-internal",
      "prometheus",
      "slo-harness",
      "victoria-logs",
    ]);
    // kubernetes_sd_configs labels each target with its pod, which a static config cannot.
    expect(up.filter((s) => s.metric.job === "genomics-api").map((s) => s.metric.pod)).toEqual(
      expect.arrayContaining((await readyPods()).map((p) => p.metadata!.name)),
    );
    const alertmanagers = await prometheus.query("prometheus_notifications_alertmanagers_discovered");
    expect(alertmanagers[0]?.value).toBe(1);
  });

  it("should scrape the harness's own metrics from the node's bridge address, so a fault shows as slo_harness_fault_active", async () => {
    const prometheus = new PrometheusClient(stack.urls.prometheus);
    metrics.track("real-node")({ kind: "fault-injected", id: "node-check", at: new Date().toISOString(), data: { injector: "pod-eviction" } });
    await eventually(
      async () => {
        const samples = await prometheus.query('slo_harness_fault_active{fault="node-check"}');
        expect(samples.map((s) => ({ job: s.metric.job, instance: s.metric.instance, value: s.value }))).toEqual([
          { job: "slo-harness", instance: expect.stringMatching(new RegExp(`^${NODE.gateway.replace(/\./g, "\\.")}:\\d+$`)), value: 1 },
        ]);
      },
      30_000,
      1000,
    );
  });

  it("should carry the API's spans through the collector to Jaeger and its logs to VictoriaLogs", async () => {
    for (let i = 0; i < 5; i++) expect((await fetch(`${api}/analysis/P000001`)).status).toBe(200);
    const jaeger = new JaegerClient(stack.urls.jaeger);
    const traces = await eventually(
      async () => {
        const found = await jaeger.findTraces({
          service: "genomics-api",
          operation: "variant-analysis",
          start: new Date(Date.now() - 120_000),
          end: new Date(),
          limit: 5,
        });
        if (found.length === 0) throw new Error("no variant-analysis trace in Jaeger yet");
        return found;
      },
      60_000,
      1000,
    );
    expect(traces.length).toBeGreaterThan(0);
    const logs = await eventually(
      async () => {
        const res = await fetch(`${stack.urls.logs}/select/logsql/query?query=${encodeURIComponent('_time:5m service.name:"genomics-api"')}&limit=5`);
        const text = await res.text();
        if (!text.trim()) throw new Error("no genomics-api log line in VictoriaLogs yet");
        return text;
      },
      60_000,
      1000,
    );
    expect(logs).toContain("genomics-api");
  });

  it("should answer on a NodePort that kube-proxy binds on loopback only", async () => {
    const svc = await core.createNamespacedService({
      namespace: NS,
      body: {
        metadata: { name: "genomics-api-nodeport" },
        spec: { type: "NodePort", selector: { app: "genomics-api" }, ports: [{ port: 8000, targetPort: 8000 }] },
      },
    });
    const port = svc.spec!.ports![0]!.nodePort!;
    const res = await eventually(
      async () => {
        const r = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
        if (r.status !== 200) throw new Error(`NodePort answered ${r.status}`);
        return r;
      },
      30_000,
      500,
    );
    expect(res.status).toBe(200);
  });

  it("should evict a serving pod under load, see a Ready replacement and kubelet's Killing event, and count the requests lost", async () => {
    const before = new Set((await readyPods()).map((p) => p.metadata!.name!));
    const load = startBackgroundLoad(api, "/health", { ratePerSecond: 20, maxSeconds: 60 });
    await new Promise((r) => setTimeout(r, 3000));
    const victim = [...before][0]!;
    const evictedAt = new Date();
    await core.createNamespacedPodEviction({
      name: victim,
      namespace: NS,
      body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: victim, namespace: NS } },
    });
    const replacement = await eventually(
      async () => {
        const ready = await readyPods();
        const fresh = ready.filter((p) => !before.has(p.metadata!.name!));
        if (ready.length < 3 || fresh.length === 0 || ready.some((p) => p.metadata!.name === victim)) throw new Error(`${ready.length} Ready, none new yet`);
        return fresh[0]!.metadata!.name!;
      },
      120_000,
      250,
    );
    const replacedMs = Date.now() - evictedAt.getTime();
    await new Promise((r) => setTimeout(r, 3000));
    const summary = await load.stop();
    process.stderr.write(`eviction of ${victim}: replacement ${replacement} Ready after ${replacedMs} ms; load ${JSON.stringify(summary)}\n`);

    const probe = new EventProbe(new KubernetesEventsClient(kc), { namespace: NS, reason: "Killing", labelSelector: APP });
    const ctx = { endpoints: { kubernetes: { kubeconfig: cp.kubeconfigPath, chaosNamespaces: [NS] } } as unknown as Endpoints, since: evictedAt };
    const seen = await eventually(
      async () => {
        const looked = await probe.observe(ctx);
        const o = looked.seen;
        if (!o) throw new Error(`no Killing event yet: ${looked.miss?.result}`);
        return o;
      },
      30_000,
      500,
    );
    expect(seen.evidence.result).toMatch(new RegExp(`Normal Killing Pod ${NS}/${victim} .* by kubelet`));
    // kubelet's own timestamp, within seconds of the eviction (core/v1 times are whole seconds).
    expect(seen.at.getTime() - evictedAt.getTime()).toBeLessThan(10_000);
    // The port-forward follows the pods: most requests get through; the lost ones are counted above, not hidden.
    expect(summary.sent).toBeGreaterThan(100);
    expect(summary.failed).toBeLessThan(summary.sent * 0.1);
  });

  it("should count the requests users lose when the PDB is gone and every replica is evicted at once (the seeded defect)", async () => {
    await kc.makeApiClient(PolicyV1Api).deleteNamespacedPodDisruptionBudget({ name: "genomics-api", namespace: NS });
    const before = (await readyPods()).map((p) => p.metadata!.name!);
    const load = startBackgroundLoad(api, "/health", { ratePerSecond: 20, maxSeconds: 60 });
    await new Promise((r) => setTimeout(r, 3000));
    const evictedAt = Date.now();
    await Promise.all(
      before.map((name) =>
        core.createNamespacedPodEviction({ name, namespace: NS, body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace: NS } } }),
      ),
    );
    await eventually(
      async () => {
        const ready = await readyPods();
        if (ready.length < 3 || ready.some((p) => before.includes(p.metadata!.name!))) throw new Error(`${ready.length} new pods Ready`);
      },
      120_000,
      250,
    );
    const replacedMs = Date.now() - evictedAt;
    await new Promise((r) => setTimeout(r, 3000));
    const summary = await load.stop();
    process.stderr.write(`all ${before.length} replicas evicted without a PDB: all Ready again after ${replacedMs} ms; load ${JSON.stringify(summary)}\n`);
    expect(summary.sent).toBeGreaterThan(100);
    // Nothing serves until a replacement is Ready: users see it.
    expect(summary.failed).toBeGreaterThan(0);
  });

  it("should restart a killed API container in place, and kubelet should record it", async () => {
    const pod = (await readyPods())[0]!;
    const name = pod.metadata!.name!;
    const restartsBefore = pod.status!.containerStatuses![0]!.restartCount;
    const killedAt = new Date();
    await killContainer(pod.status!.containerStatuses![0]!.containerID!);
    const restarted = await eventually(
      async () => {
        const now = await core.readNamespacedPod({ name, namespace: NS });
        const status = now.status!.containerStatuses![0]!;
        if (status.restartCount <= restartsBefore || !status.ready) throw new Error(`restartCount ${status.restartCount}, ready ${status.ready}`);
        return status;
      },
      90_000,
      250,
    );
    expect(restarted.lastState?.terminated?.exitCode).toBe(137);
    const probe = new EventProbe(new KubernetesEventsClient(kc), { namespace: NS, reason: "Started", involvedObject: { kind: "Pod", name } });
    const ctx = { endpoints: {} as Endpoints, since: killedAt };
    const seen = await eventually(
      async () => {
        const looked = await probe.observe(ctx);
        const o = looked.seen;
        if (!o) throw new Error(`no Started event yet: ${looked.miss?.result}`);
        return o;
      },
      30_000,
      500,
    );
    expect(seen.evidence.result).toMatch(/by kubelet/);
  });

  it("should restart a container the container-kill injector signals through the exec API, and kubelet should record Started", async () => {
    const endpoints = { kubernetes: { kubeconfig: cp.kubeconfigPath, chaosNamespaces: [NS] }, runDir: "" } as unknown as Endpoints;
    const environment = { provider: "existing", getEndpoints: () => endpoints } as unknown as StartedEnvironment;
    const killedAt = new Date();
    const handle = await new ContainerKillInjector().inject(
      faultContext(environment, { faultId: "api-killed", target: NS, params: { selector: APP, waitReady: "80s" }, maxDurationMs: 90_000 }),
    );
    process.stderr.write(`container-kill: ${handle.evidence}\n`);
    expect(handle.effectVerified).toBe(true);
    expect(handle.evidence).toMatch(
      /^SIGTERM to genomics-api-\S+\/genomics-api \(kill -s TERM 1 through the exec API\): exited 0 \(Completed\), restarted in place by kubelet \(restartCount \d+ → \d+\), Ready again \d+ ms after the kill$/,
    );
    await handle.rollback();
    await handle.rollback();
    expect(handle.rolledBackAt).toBeDefined();
    const probe = new EventProbe(new KubernetesEventsClient(kc), { namespace: NS, reason: "Started", labelSelector: APP });
    const seen = await eventually(
      async () => {
        const looked = await probe.observe({ endpoints, since: killedAt });
        if (!looked.seen) throw new Error(`no Started event yet: ${looked.miss?.result}`);
        return looked.seen;
      },
      30_000,
      500,
    );
    process.stderr.write(`Started found ${seen.at.getTime() - killedAt.getTime()} ms after the kill: ${seen.evidence.result.slice(0, 160)}\n`);
    expect(seen.evidence.result).toMatch(new RegExp(`Normal Started Pod ${NS}/genomics-api-.* by kubelet`));
  }, 180_000);

  it("should drive the API from 3 runner pods of an Indexed Job at the combined rate, the merged count the sum of theirs, and delete the Job", async () => {
    const plan = planLoad(loadModel(LoadSpec.parse({ scenario: "steady", rate: "30/s", duration: "15s" })));
    const service = { namespace: NS, name: "genomics-api", port: 8000 };
    const load = new DistributedLoad(plan, { kc, service, runners: 3, image: runnerImage, startDelayMs: 10_000 });
    const result = (await load.run()).result("steady", "distributed");
    const d = load.figures();
    process.stderr.write(
      `3 runners: ${result.requests} requests merged at ${result.rps.toFixed(2)}/s for ${d.askedRps}/s asked, ${d.perRunner.map((r) => r.requests).join("/")} sent, starts ${d.startSkewMs} ms apart\n`,
    );
    expect(d.perRunner.map((r) => [r.state, r.expectedRequests])).toEqual([0, 1, 2].map(() => ["completed", 150]));
    expect(result.requests).toBe(d.perRunner.reduce((sum, r) => sum + r.requests, 0));
    expect(result.requests).toBeGreaterThanOrEqual(440);
    expect(result.errors).toBe(0);
    expect(d.startSkewMs).toBeLessThan(1000);
    expect((await kc.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: NS, labelSelector: RUNNER_LABEL })).items).toEqual([]);
  }, 120_000);

  it("should leave no process, mount, cgroup, bridge, iptables rule or kernel setting behind when stopped", async () => {
    await stack.stop();
    expect(await nodeLeftovers()).toEqual([]);
    expect(readHostSettings()).toEqual(hostBefore);
  }, 180_000);
});
