import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  loadYaml,
  PolicyV1Api,
  type V1CustomResourceDefinition,
} from "@kubernetes/client-node";
import { parse } from "yaml";
import { EventProbe } from "../../assertions/event-probe.js";
import { KubernetesEventsClient } from "../../assertions/clients/kubernetes-events.js";
import { PodEvictionInjector } from "../../chaos/pod-eviction-injector.js";
import { ExistingEnvironment, parseExistingOptions, type StartedExistingEnvironment } from "../../env/existing/index.js";
import { loadKubeConfig } from "../../core/kube-config.js";
import { NO_OPERATOR_GUARDS } from "../../core/operator-guards.js";
import { K6OperatorTestRun, TESTRUN } from "../../scenarios/k6-operator/index.js";
import { eventually } from "../eventually.js";
import { faultContext } from "../fault-context.js";
import { startControlPlane, type ControlPlane } from "./control-plane.js";

const namespace = "genomics";
const labels = { app: "genomics-api" };
// Never contacted here: these tests exercise the cluster side of the existing provider.
const endpoints = { api: "http://127.0.0.1:1", prometheus: "http://127.0.0.1:1", alertmanager: "http://127.0.0.1:1" };

describe("Kubernetes support against a real API server (KWOK nodes)", () => {
  let cp: ControlPlane;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let env: StartedExistingEnvironment;

  const readyPods = async (count: number) => {
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: "app=genomics-api" })).items.filter(
      (p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
    );
    if (pods.length !== count) throw new Error(`${pods.length} Ready pods, want ${count}`);
    return pods;
  };

  beforeAll(async () => {
    cp = await startControlPlane();
    kc = new KubeConfig();
    kc.loadFromFile(cp.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: "genomics-api", labels },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: "api", image: "genomics-api:test" }] } },
        },
      },
    });
    await eventually(() => readyPods(2), 60_000);
    env = (await new ExistingEnvironment(parseExistingOptions({ kubeconfig: cp.kubeconfigPath, endpoints }), {
      ...NO_OPERATOR_GUARDS,
      chaosNamespaces: [namespace],
    }).start()) as StartedExistingEnvironment;
  });

  afterAll(async () => {
    await env?.stop();
    await cp?.stop();
  });

  describe("existing provider", () => {
    it("should read the API server's version and hand probes and injectors the cluster", () => {
      expect(env.getComponents()).toContainEqual({ name: "kubernetes", version: expect.stringMatching(/^v1\.\d+\.\d+/) });
      expect(env.getEndpoints().kubernetes).toEqual({ kubeconfig: cp.kubeconfigPath, chaosNamespaces: [namespace], allowSystemNamespaces: [] });
      expect(env.getEndpoints().alertReceiver).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it("should refuse a context that looks like production unless allowed", async () => {
      const config = parse(readFileSync(cp.kubeconfigPath, "utf8")) as { contexts: { name: string }[]; "current-context": string };
      config.contexts[0]!.name = "eu-prod-1";
      config["current-context"] = "eu-prod-1";
      const file = path.join(cp.dir, "prod-kubeconfig");
      writeFileSync(file, JSON.stringify(config));
      const options = parseExistingOptions({ kubeconfig: file, endpoints });
      await expect(new ExistingEnvironment(options).start()).rejects.toThrow(/context "eu-prod-1" .* matches the protected pattern "\*prod\*"/);
      const allowed = await new ExistingEnvironment(options, { ...NO_OPERATOR_GUARDS, allowProtectedContext: true }).start();
      await allowed.stop();
    });
  });

  describe("pod-eviction and the events probe", () => {
    const injector = new PodEvictionInjector();
    const probe = async () =>
      new EventProbe(new KubernetesEventsClient(await loadKubeConfig(env.getEndpoints().kubernetes!)), {
        namespace,
        reason: "SuccessfulCreate",
        labelSelector: "app=genomics-api",
      });

    it("should evict a pod, see its replacement Ready, and find the ReplicaSet's SuccessfulCreate event", async () => {
      const before = (await readyPods(2)).map((p) => p.metadata!.name!);
      // core/v1 event times are whole seconds and the probe counts its anchor's own second, so the
      // eviction starts in a later second than the set-up's SuccessfulCreate events.
      await new Promise((resolve) => setTimeout(resolve, 1050 - (Date.now() % 1000)));
      const handle = await injector.inject(
        faultContext(env, { faultId: "api-evicted", target: namespace, params: { selector: "app=genomics-api", count: 1, waitReady: "30s" } }),
      );
      expect(handle.effectVerified).toBe(true);
      const evicted = before.find((name) => handle.evidence.includes(`evicted ${name} `))!;
      expect(handle.evidence).toMatch(
        new RegExp(
          `^evicted ${evicted} \\(app=genomics-api in genomics\\) through the Eviction API; 2 pods Ready again \\d+ ms later, new: genomics-api-[a-z0-9-]+$`,
        ),
      );
      expect((await readyPods(2)).map((p) => p.metadata!.name)).not.toContain(evicted);

      const seen = (await (await probe()).observe({ endpoints: env.getEndpoints(), since: handle.injectedAt })).seen;
      expect(seen?.at.getTime()).toBeGreaterThanOrEqual(handle.injectedAt.getTime());
      expect(seen?.evidence.result).toMatch(
        /^1 matching events, first at .*: Normal SuccessfulCreate ReplicaSet genomics\/genomics-api-\w+ .* by replicaset-controller: "Created pod: genomics-api-/,
      );

      await handle.rollback();
      expect(handle.rolledBackAt).toBeDefined();
    });

    it("should see nothing, and say so, when no matching event happened in the window", async () => {
      const p = new EventProbe(new KubernetesEventsClient(await loadKubeConfig(env.getEndpoints().kubernetes!)), {
        namespace,
        reason: "BackOff",
        involvedObject: { kind: "Pod" },
      });
      const looked = await p.observe({ endpoints: env.getEndpoints(), since: new Date() });
      expect(looked.seen).toBeUndefined();
      expect(looked.miss?.result).toMatch(/^no matching event since /);
      expect(p.describe()).toBe("a Kubernetes event with reason BackOff about Pod in namespace genomics");
    });

    it("should report a PodDisruptionBudget's refusal (HTTP 429) as the fault not taking effect", async () => {
      const policy = kc.makeApiClient(PolicyV1Api);
      await policy.createNamespacedPodDisruptionBudget({
        namespace,
        body: { metadata: { name: "api-pdb" }, spec: { minAvailable: 2, selector: { matchLabels: labels } } },
      });
      try {
        await eventually(async () => {
          const pdb = await policy.readNamespacedPodDisruptionBudget({ namespace, name: "api-pdb" });
          if (pdb.status?.observedGeneration !== pdb.metadata?.generation || pdb.status?.currentHealthy !== 2) throw new Error("budget not observed yet");
        }, 30_000);
        const handle = await injector.inject(
          faultContext(env, { faultId: "api-evicted", target: namespace, params: { selector: "app=genomics-api", count: 1, waitReady: "10s" } }),
        );
        expect(handle.effectVerified).toBe(false);
        expect(handle.evidence).toMatch(
          /^not verified: every eviction was refused; refused by a PodDisruptionBudget: genomics-api-\S+ \(HTTP 429 TooManyRequests: Cannot evict pod as it would violate the pod's disruption budget\.\)$/,
        );
        await readyPods(2);
        await handle.rollback();
      } finally {
        await policy.deleteNamespacedPodDisruptionBudget({ namespace, name: "api-pdb" });
      }
    });

    it("should refuse a namespace the environment does not allow chaos in", async () => {
      await expect(injector.inject(faultContext(env, { faultId: "sys", target: "kube-system", params: { selector: "k8s-app=kube-dns" } }))).rejects.toThrow(
        "faults[sys].target: namespace \"kube-system\" is the cluster's own; chaos there needs the operator's --allow-system-namespace kube-system on the command line",
      );
      await expect(injector.inject(faultContext(env, { faultId: "other", target: "other", params: { selector: "app=x" } }))).rejects.toThrow(
        'faults[other].target: namespace "other" is not one the operator allows chaos in (chaos namespaces: genomics); pass --chaos-namespace other or add it to chaosNamespaces in your operator config if this cluster may be disrupted in it',
      );
    });
  });

  describe("k6-operator TestRun", () => {
    const script = "export default function () {}\n";

    it("should say the operator is missing when its CRD is not installed", async () => {
      const run = new K6OperatorTestRun(kc, { namespace, name: "no-crd", parallelism: 2, script });
      await expect(run.create()).rejects.toThrow(
        /creating TestRun genomics\/no-crd failed: HTTP 404.*; is k6-operator installed \(its TestRun CRD, k6\.io\/v1alpha1\)\?/,
      );
      await expect(core.readNamespacedConfigMap({ namespace, name: "no-crd" })).rejects.toMatchObject({ code: 404 });
    });

    it("should create the script's ConfigMap and a TestRun, follow its stage, and delete both", async () => {
      // loadYaml maps the YAML keys onto client-node's models (x-kubernetes-preserve-unknown-fields
      // among them); a plain YAML parse would lose that key and the API server would prune the spec.
      const crd = loadYaml<V1CustomResourceDefinition>(readFileSync(path.join(import.meta.dirname, "fixtures", "k6-testrun-crd.yaml"), "utf8"));
      const extensions = kc.makeApiClient(ApiextensionsV1Api);
      await extensions.createCustomResourceDefinition({ body: crd });
      await eventually(async () => {
        const got = await extensions.readCustomResourceDefinition({ name: "testruns.k6.io" });
        if (!got.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) throw new Error("CRD not established");
      }, 30_000);

      const run = new K6OperatorTestRun(kc, { namespace, name: "game-day", parallelism: 3, script });
      await eventually(() => run.create(), 10_000, 500);
      const custom = kc.makeApiClient(CustomObjectsApi);
      const created = (await custom.getNamespacedCustomObject({ ...TESTRUN, namespace, name: "game-day" })) as { spec: unknown };
      expect(created.spec).toEqual({ parallelism: 3, script: { configMap: { name: "game-day", file: "script.js" } } });
      expect((await core.readNamespacedConfigMap({ namespace, name: "game-day" })).data).toEqual({ "script.js": script });
      expect(await run.stage()).toBeUndefined();

      // What the operator does when its runners are done.
      setTimeout(() => {
        void custom.patchNamespacedCustomObjectStatus({
          ...TESTRUN,
          namespace,
          name: "game-day",
          body: [{ op: "add", path: "/status", value: { stage: "finished" } }],
        });
      }, 1500);
      await expect(run.waitFinished(20_000)).resolves.toBe("finished");
      await expect(run.results()).resolves.toBeUndefined();

      await run.delete();
      await run.delete();
      await expect(core.readNamespacedConfigMap({ namespace, name: "game-day" })).rejects.toMatchObject({ code: 404 });
      await eventually(async () => {
        await expect(custom.getNamespacedCustomObject({ ...TESTRUN, namespace, name: "game-day" })).rejects.toMatchObject({ code: 404 });
      }, 10_000);
    });

    it("should give up on a TestRun nobody runs, naming the last stage; its runners' secret headers come from the Secret named", async () => {
      const run = new K6OperatorTestRun(kc, { namespace, name: "orphan", parallelism: 1, script, secret: { name: "orders-load", keys: ["ORDERS_TOKEN"] } });
      await run.create();
      try {
        const created = (await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ ...TESTRUN, namespace, name: "orphan" })) as {
          spec: { runner?: unknown };
        };
        expect(created.spec.runner).toEqual({ env: [{ name: "ORDERS_TOKEN", valueFrom: { secretKeyRef: { name: "orders-load", key: "ORDERS_TOKEN" } } }] });
        await expect(run.waitFinished(2500)).rejects.toThrow(
          "TestRun genomics/orphan did not finish within 3 s; last stage: none yet (is the k6-operator running?)",
        );
      } finally {
        await run.delete();
      }
    });
  });
});
