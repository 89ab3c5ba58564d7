import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import { applyObjects, waitDeploymentsAvailable, waitJobComplete } from "./kind-manifests.js";
import { serviceHostAliases, withHostAliases } from "./service-host-aliases.js";

const POD_OWNERS = new Set(["Deployment", "Job", "StatefulSet", "DaemonSet"]);

export interface InstallTimings {
  /** From the first object applied to every Job done and every Deployment available. */
  totalMs: number;
}

/**
 * Installs the project's own manifests (the stack's and the target's) and waits until they serve:
 * everything but the pods' owners first, so every Service has its ClusterIP (and its environment
 * variables exist for pods created after it), then the Deployments and Jobs with the Services'
 * names in their pods' hostAliases. A timeout names the stuck pods and why.
 */
export async function installManifests(kc: KubeConfig, objects: KubernetesObject[], timeoutMs = 300_000): Promise<InstallTimings> {
  const started = Date.now();
  const owners = objects.filter((o) => POD_OWNERS.has(o.kind ?? ""));
  const rest = objects.filter((o) => !POD_OWNERS.has(o.kind ?? ""));
  await applyObjects(kc, rest, "the stack's manifests");
  const aliases = await serviceHostAliases(
    kc,
    rest.filter((o) => o.kind === "Service"),
  );
  await applyObjects(kc, withHostAliases(owners, aliases), "the stack's manifests");
  const left = () => Math.max(1000, timeoutMs - (Date.now() - started));
  for (const job of owners.filter((o) => o.kind === "Job")) await waitJobComplete(kc, job.metadata!.namespace!, job.metadata!.name!, left());
  const byNamespace = new Map<string, string[]>();
  for (const d of owners.filter((o) => o.kind === "Deployment"))
    byNamespace.set(d.metadata!.namespace!, [...(byNamespace.get(d.metadata!.namespace!) ?? []), d.metadata!.name!]);
  for (const [namespace, names] of byNamespace) await waitDeploymentsAvailable(kc, namespace, names, left());
  return { totalMs: Date.now() - started };
}
