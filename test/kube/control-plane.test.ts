import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ApiException, AppsV1Api, CoreV1Api, EventsV1Api, KubeConfig, PolicyV1Api, type V1Pod } from "@kubernetes/client-node";
import { startControlPlane, type ControlPlane } from "./control-plane.js";
import { cachedTool } from "../../core/tool-binaries.js";
import { eventually } from "../eventually.js";

const namespace = "web";
const labels = { app: "web" };

function isReady(pod: V1Pod): boolean {
  return (
    !pod.metadata?.deletionTimestamp && pod.status?.phase === "Running" && (pod.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True")
  );
}

describe("startControlPlane", () => {
  let cp: ControlPlane;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let policy: PolicyV1Api;

  async function readyPods(count: number): Promise<V1Pod[]> {
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: "app=web" })).items.filter(isReady);
    expect(pods).toHaveLength(count);
    return pods;
  }

  function evict(name: string) {
    return core.createNamespacedPodEviction({ name, namespace, body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace } } });
  }

  beforeAll(async () => {
    cp = await startControlPlane();
    kc = new KubeConfig();
    kc.loadFromFile(cp.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    policy = kc.makeApiClient(PolicyV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: "web", labels },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: "web", image: "example.invalid/web:1" }] } },
        },
      },
    });
  });

  afterAll(async () => {
    await cp?.stop();
  });

  it("should serve the API on 127.0.0.1 with a Ready KWOK node", async () => {
    expect(cp.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const node = await core.readNode({ name: cp.nodeName });
    expect(node.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
  });

  it("should run a Deployment's pods Running and Ready on the KWOK node", async () => {
    const pods = await eventually(() => readyPods(2), 60_000);
    for (const pod of pods) expect(pod.spec?.nodeName).toBe(cp.nodeName);
  });

  it("should record SuccessfulCreate for the ReplicaSet and Scheduled for a pod, in both event APIs", async () => {
    // Recorders write events in the background, after the objects they describe.
    const coreEvents = await eventually(async () => {
      const items = (await core.listNamespacedEvent({ namespace })).items;
      expect(items).toContainEqual(expect.objectContaining({ reason: "SuccessfulCreate", involvedObject: expect.objectContaining({ kind: "ReplicaSet" }) }));
      expect(items).toContainEqual(expect.objectContaining({ reason: "Scheduled", involvedObject: expect.objectContaining({ kind: "Pod" }) }));
      return items;
    });
    expect(coreEvents.filter((e) => e.type !== "Normal").map((e) => `${e.reason}: ${e.message}`)).toEqual([]);
    const events = (await kc.makeApiClient(EventsV1Api).listNamespacedEvent({ namespace })).items;
    expect(events.map((e) => `${e.reason} ${e.regarding?.kind}`).sort()).toEqual(coreEvents.map((e) => `${e.reason} ${e.involvedObject.kind}`).sort());
  });

  it("should evict a pod and replace it with a Ready one", async () => {
    const [victim] = await eventually(() => readyPods(2), 60_000);
    await evict(victim!.metadata!.name!);
    const pods = await eventually(() => readyPods(2), 60_000);
    expect(pods.map((p) => p.metadata?.name)).not.toContain(victim!.metadata!.name);
  });

  it("should refuse an eviction that would break a PodDisruptionBudget with HTTP 429", async () => {
    await policy.createNamespacedPodDisruptionBudget({
      namespace,
      body: { metadata: { name: "web" }, spec: { minAvailable: 2, selector: { matchLabels: labels } } },
    });
    // Until the disruption controller has counted the pods, a 429 would only mean "not processed yet".
    await eventually(async () => {
      const pdb = await policy.readNamespacedPodDisruptionBudget({ name: "web", namespace });
      expect(pdb.status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 0 });
    }, 30_000);
    const [pod] = await readyPods(2);
    const err: unknown = await evict(pod!.metadata!.name!).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiException);
    const { code, body } = err as ApiException<unknown>;
    expect(code).toBe(429);
    // client-node 1.4.0 leaves the Status unparsed: body is its JSON text.
    expect(typeof body).toBe("string");
    expect(JSON.parse(body as string)).toMatchObject({
      kind: "Status",
      reason: "TooManyRequests",
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: { causes: [{ reason: "DisruptionBudget", message: "The disruption budget web needs 2 healthy pods and has 2 currently" }] },
    });
    await readyPods(2);
  });

  it("should remove the directory it made on stop", async () => {
    await cp.stop();
    expect(existsSync(cp.dir)).toBe(false);
  });
});

describe("startControlPlane without kube-apiserver", () => {
  it("should name the missing binary and stop the etcd it had started", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "slo-harness-kube-missing-"));
    const etcd = cachedTool("etcd");
    const saved = process.env.SLO_HARNESS_CACHE;
    try {
      mkdirSync(path.join(root, "cache", "bin"), { recursive: true });
      symlinkSync(etcd, path.join(root, "cache", "bin", "etcd"));
      process.env.SLO_HARNESS_CACHE = path.join(root, "cache");
      await expect(startControlPlane({ dir: path.join(root, "cp") })).rejects.toThrow(/^kube-apiserver: not found at /);
      expect(readFileSync(path.join(root, "cp", "etcd.log"), "utf8")).toContain("received signal; shutting down");
    } finally {
      if (saved === undefined) delete process.env.SLO_HARNESS_CACHE;
      else process.env.SLO_HARNESS_CACHE = saved;
      rmSync(root, { recursive: true, force: true });
    }
  });
});
