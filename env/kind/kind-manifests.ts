import { AppsV1Api, BatchV1Api, CoreV1Api, KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { apiMessage } from "../../core/kube-config.js";

/** Who owns the fields the harness sets, for server-side apply. */
export const FIELD_MANAGER = "slo-harness";

function describe(obj: KubernetesObject): string {
  return `${obj.kind} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata?.name}`;
}

/**
 * Server-side applies each object in file order (the Namespace first), so a rerun on a kept
 * cluster converges instead of failing on what exists.
 */
export async function applyObjects(kc: KubeConfig, objects: KubernetesObject[], source: string): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  for (const obj of objects) {
    try {
      await client.patch(obj, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    } catch (err) {
      throw new Error(`applying ${describe(obj)} from ${source} failed: ${apiMessage(err)}`, { cause: err });
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Why the pods of a selector are not ready, in the kubelet's words (ErrImageNeverPull, CrashLoopBackOff...). */
async function podStates(kc: KubeConfig, namespace: string, labelSelector: string): Promise<string> {
  try {
    const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace, labelSelector });
    if (pods.items.length === 0) return "no pods";
    return pods.items
      .map((p) => {
        const waiting = (p.status?.containerStatuses ?? []).map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason).filter(Boolean);
        return `${p.metadata?.name}: ${p.status?.phase}${waiting.length ? ` (${waiting.join(", ")})` : ""}`;
      })
      .join("; ");
  } catch (err) {
    return `pods could not be listed: ${apiMessage(err)}`;
  }
}

/** Waits until every replica of each Deployment is available; a timeout says which pods are stuck and why. */
export async function waitDeploymentsAvailable(kc: KubeConfig, namespace: string, names: string[], timeoutMs = 300_000): Promise<void> {
  const apps = kc.makeApiClient(AppsV1Api);
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    for (;;) {
      const d = await apps.readNamespacedDeployment({ name, namespace }).catch((err: unknown) => {
        throw new Error(`reading Deployment ${namespace}/${name} failed: ${apiMessage(err)}`, { cause: err });
      });
      const want = d.spec?.replicas ?? 1;
      const s = d.status;
      if ((s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && (s?.updatedReplicas ?? 0) >= want && (s?.availableReplicas ?? 0) >= want) break;
      if (Date.now() > deadline) {
        const selector = Object.entries(d.spec?.selector.matchLabels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(",");
        throw new Error(
          `Deployment ${namespace}/${name}: ${s?.availableReplicas ?? 0} of ${want} replicas available after ${timeoutMs / 1000}s; pods: ${await podStates(kc, namespace, selector)}`,
        );
      }
      await sleep(2000);
    }
  }
}

/** Waits for a Job to succeed; a failed Job's error carries its last pod's log. */
export async function waitJobComplete(kc: KubeConfig, namespace: string, name: string, timeoutMs = 300_000): Promise<void> {
  const batch = kc.makeApiClient(BatchV1Api);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await batch.readNamespacedJob({ name, namespace }).catch((err: unknown) => {
      throw new Error(`reading Job ${namespace}/${name} failed: ${apiMessage(err)}`, { cause: err });
    });
    if ((job.status?.succeeded ?? 0) > 0) return;
    const failed = job.status?.conditions?.some((c) => c.type === "Failed" && c.status === "True");
    if (failed || Date.now() > deadline) {
      const why = failed ? "failed" : `had not completed after ${timeoutMs / 1000}s`;
      throw new Error(`Job ${namespace}/${name} ${why}; pods: ${await podStates(kc, namespace, `job-name=${name}`)}${await lastLog(kc, namespace, name)}`);
    }
    await sleep(2000);
  }
}

async function lastLog(kc: KubeConfig, namespace: string, job: string): Promise<string> {
  try {
    const core = kc.makeApiClient(CoreV1Api);
    const pod = (await core.listNamespacedPod({ namespace, labelSelector: `job-name=${job}` })).items.at(-1)?.metadata?.name;
    if (!pod) return "";
    const log = await core.readNamespacedPodLog({ name: pod, namespace, tailLines: 20 });
    return `\nlast log lines of ${pod}:\n${String(log).trimEnd()}`;
  } catch {
    return "";
  }
}
