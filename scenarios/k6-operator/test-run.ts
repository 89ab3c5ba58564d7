import { CoreV1Api, CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { apiMessage, apiStatus } from "../../core/kube-config.js";
import { SUMMARY_MARKER } from "./k6-script.js";

/** The k6-operator's custom resource, as its CRD serves it. */
export const TESTRUN = { group: "k6.io", version: "v1alpha1", plural: "testruns", kind: "TestRun" } as const;
const SCRIPT_FILE = "script.js";
const POLL_MS = 1000;

export interface TestRunSpec {
  namespace: string;
  /** DNS-1123 name; the ConfigMap with the script gets the same one. */
  name: string;
  /** Runner pods; k6-operator splits the script's rates among them with execution segments. */
  parallelism: number;
  script: string;
  /** k6 runner image, when the cluster needs a specific one (e.g. from a private registry). */
  runnerImage?: string;
  /** A Secret in the namespace whose keys are the environment variables the script's secret headers read. */
  secret?: { name: string; keys: readonly string[] };
}

/** The TestRun object: the script from its ConfigMap, and each secret header's variable from the Secret, never inline. */
export function testRunBody(spec: TestRunSpec): Record<string, unknown> {
  const { namespace, name } = spec;
  const env = (spec.secret?.keys ?? []).map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: spec.secret!.name, key } } }));
  const runner = { ...(spec.runnerImage ? { image: spec.runnerImage } : {}), ...(env.length ? { env } : {}) };
  return {
    apiVersion: `${TESTRUN.group}/${TESTRUN.version}`,
    kind: TESTRUN.kind,
    metadata: { name, namespace, labels: { "app.kubernetes.io/managed-by": "slo-harness" } },
    spec: {
      parallelism: spec.parallelism,
      script: { configMap: { name, file: SCRIPT_FILE } },
      ...(Object.keys(runner).length ? { runner } : {}),
    },
  };
}

/** What the runners reported in their summaries, added up. */
export interface TestRunResults {
  runners: number;
  requests: number;
  failedRate: number;
  /** The worst runner's p95 and p99: an upper bound of the whole run's. */
  p95Ms: number;
  p99Ms: number;
}

interface RunnerMetrics {
  http_reqs?: { values?: { count?: number } };
  http_req_failed?: { values?: { rate?: number; passes?: number; fails?: number } };
  http_req_duration?: { values?: Record<string, number> };
}

/**
 * Load from more than one machine: the experiment's scenario as a k6-operator TestRun in the
 * cluster. The harness creates the script's ConfigMap and the TestRun, follows status.stage,
 * reads each runner's summary from its log, and deletes both.
 */
export class K6OperatorTestRun {
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;

  constructor(
    kubeConfig: KubeConfig,
    readonly spec: TestRunSpec,
  ) {
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  private get where(): string {
    return `TestRun ${this.spec.namespace}/${this.spec.name}`;
  }

  async create(): Promise<void> {
    const { namespace, name } = this.spec;
    const labels = { "app.kubernetes.io/managed-by": "slo-harness" };
    await this.call("creating the script's ConfigMap", () =>
      this.core.createNamespacedConfigMap({ namespace, body: { metadata: { name, namespace, labels }, data: { [SCRIPT_FILE]: this.spec.script } } }),
    );
    try {
      await this.custom.createNamespacedCustomObject({ ...TESTRUN, namespace, body: testRunBody(this.spec) });
    } catch (err) {
      await this.delete();
      const hint = apiStatus(err) === 404 ? "; is k6-operator installed (its TestRun CRD, k6.io/v1alpha1)?" : "";
      throw new Error(`creating ${this.where} failed: ${apiMessage(err)}${hint}`, { cause: err });
    }
  }

  async stage(): Promise<string | undefined> {
    const run = (await this.call(`reading ${this.where}`, () =>
      this.custom.getNamespacedCustomObject({ ...TESTRUN, namespace: this.spec.namespace, name: this.spec.name }),
    )) as { status?: { stage?: string } };
    return run.status?.stage;
  }

  /** Waits for stage "finished" (or "error"), bounded: the load's own duration plus the operator's start-up. */
  async waitFinished(timeoutMs: number, signal?: AbortSignal): Promise<"finished" | "error"> {
    const deadline = Date.now() + timeoutMs;
    let last: string | undefined;
    while (Date.now() < deadline && !signal?.aborted) {
      last = await this.stage();
      if (last === "finished" || last === "error") return last;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new Error(
      `${this.where} did not finish within ${Math.round(timeoutMs / 1000)} s${signal?.aborted ? " (aborted)" : ""}; last stage: ${last ?? "none yet (is the k6-operator running?)"}`,
    );
  }

  /** Each runner's handleSummary line, read from its pod's log and added up. */
  async results(): Promise<TestRunResults | undefined> {
    const { namespace, name } = this.spec;
    const pods = await this.call(`listing ${this.where}'s runner pods`, () =>
      this.core.listNamespacedPod({ namespace, labelSelector: `app=k6,k6_cr=${name},runner=true` }),
    );
    const summaries: RunnerMetrics[] = [];
    for (const pod of pods.items) {
      const log = await this.call(`reading the log of runner ${pod.metadata?.name}`, () =>
        this.core.readNamespacedPodLog({ namespace, name: pod.metadata?.name ?? "" }),
      );
      const line = String(log)
        .split("\n")
        .find((l) => l.startsWith(SUMMARY_MARKER));
      if (line) summaries.push(JSON.parse(line.slice(SUMMARY_MARKER.length)) as RunnerMetrics);
    }
    return summaries.length ? combine(summaries) : undefined;
  }

  /** Idempotent: deletes the TestRun (its runner jobs go with it) and the script's ConfigMap. */
  async delete(): Promise<void> {
    const { namespace, name } = this.spec;
    await Promise.all([
      this.ignoreMissing(() => this.custom.deleteNamespacedCustomObject({ ...TESTRUN, namespace, name, propagationPolicy: "Background" })),
      this.ignoreMissing(() => this.core.deleteNamespacedConfigMap({ namespace, name })),
    ]);
  }

  private async ignoreMissing(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (apiStatus(err) !== 404) throw new Error(`deleting ${this.where}: ${apiMessage(err)}`, { cause: err });
    }
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new Error(`${what} failed: ${apiMessage(err)}`, { cause: err });
    }
  }
}

export function combine(summaries: RunnerMetrics[]): TestRunResults {
  let requests = 0;
  let failed = 0;
  let p95Ms = 0;
  let p99Ms = 0;
  for (const s of summaries) {
    const count = s.http_reqs?.values?.count ?? 0;
    requests += count;
    failed += (s.http_req_failed?.values?.rate ?? 0) * count;
    p95Ms = Math.max(p95Ms, s.http_req_duration?.values?.["p(95)"] ?? 0);
    p99Ms = Math.max(p99Ms, s.http_req_duration?.values?.["p(99)"] ?? 0);
  }
  return { runners: summaries.length, requests, failedRate: requests ? failed / requests : 0, p95Ms, p99Ms };
}
