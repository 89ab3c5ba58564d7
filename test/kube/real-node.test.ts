import { CoreV1Api, KubeConfig, PolicyV1Api } from "@kubernetes/client-node";
import { readHostSettings, type HostSettings } from "./node/host-settings.js";
import { buildLocalImages } from "../../env/images/index.js";
import { applyObjects, waitDeploymentsAvailable, waitJobComplete } from "../../env/kind/kind-manifests.js";
import { localTargetObjects } from "../../env/kind/local-target-manifest.js";
import { ServicePortForward } from "../../env/kubernetes/port-forward.js";
import { EventProbe } from "../../assertions/event-probe.js";
import { KubernetesEventsClient } from "../../assertions/clients/kubernetes-events.js";
import type { Endpoints } from "../../core/environment.js";
import { eventually } from "../eventually.js";
import { startControlPlane, type ControlPlane } from "./control-plane.js";
import { killContainer } from "./node/node-containerd.js";
import { nodeLeftovers } from "./node/node-sweep.js";
import { startLoopbackLoad, summarize } from "./node/loopback-load.js";
import { startRealNode, type RealNode } from "./real-node.js";

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
  let forward: ServicePortForward;
  let api: string;
  let hostBefore: HostSettings;

  beforeAll(async () => {
    hostBefore = readHostSettings();
    const images = await buildLocalImages();
    cp = await startControlPlane({ kwok: false });
    node = await startRealNode(cp, { images: [images.target, images.postgres] });
    process.stderr.write(
      `real node up in ${node.timings.totalMs} ms (images imported in ${node.timings.importMs} ms: ${node.timings.imported.join(", ") || "none, warm"})\n`,
    );
    kc = new KubeConfig();
    kc.loadFromFile(cp.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    const objects = localTargetObjects(images, { replicas: 3, serviceMonitor: false, env: { WORKERS: "2", OTEL_SDK_DISABLED: "true" } });
    await applyObjects(kc, objects);
    await waitJobComplete(kc, NS, "genomics-seed", 240_000);
    await waitDeploymentsAvailable(kc, NS, ["postgres", "genomics-api"], 240_000);
    forward = new ServicePortForward(kc, { namespace: NS, service: "genomics-api", port: 8000 });
    api = `http://127.0.0.1:${await forward.start()}`;
  }, 900_000);

  afterAll(async () => {
    await forward?.stop();
    await node?.stop();
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
    const load = startLoopbackLoad(`${api}/health`, { ratePerSecond: 20, maxSeconds: 60 });
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
    const summary = summarize(await load.stop());
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
    const load = startLoopbackLoad(`${api}/health`, { ratePerSecond: 20, maxSeconds: 60 });
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
    const summary = summarize(await load.stop());
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

  it("should leave no process, mount, cgroup, bridge, iptables rule or kernel setting behind when stopped", async () => {
    await forward.stop();
    await node.stop();
    expect(await nodeLeftovers()).toEqual([]);
    expect(readHostSettings()).toEqual(hostBefore);
  }, 180_000);
});
