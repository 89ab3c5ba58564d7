import { CoreV1Api, type KubeConfig, type KubernetesObject, type V1HostAlias, type V1PodTemplateSpec } from "@kubernetes/client-node";
import { apiMessage } from "../../core/kube-config.js";

/**
 * The names cluster DNS would answer for these Services (name.namespace, .svc, .svc.cluster.local)
 * mapped to their ClusterIPs, read back once the API server has allocated them.
 */
export async function serviceHostAliases(kc: KubeConfig, services: KubernetesObject[]): Promise<V1HostAlias[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const aliases: V1HostAlias[] = [];
  for (const svc of services) {
    const name = svc.metadata!.name!;
    const namespace = svc.metadata!.namespace!;
    let ip: string | undefined;
    try {
      ip = (await core.readNamespacedService({ name, namespace })).spec?.clusterIP;
    } catch (err) {
      throw new Error(`reading Service ${namespace}/${name} for its ClusterIP failed: ${apiMessage(err)}`, { cause: err });
    }
    if (!ip || ip === "None") continue;
    aliases.push({ ip, hostnames: [`${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`] });
  }
  return aliases;
}

/**
 * The same objects with the aliases in every pod's /etc/hosts. The project's real node runs no
 * cluster DNS, so the stack's pods find each other's Services by these entries; where cluster DNS
 * runs (kind) they give the same answers it does. A Service's ClusterIP is fixed for its life.
 */
export function withHostAliases(objects: KubernetesObject[], aliases: V1HostAlias[]): KubernetesObject[] {
  return objects.map((obj) => {
    const template = (obj as { spec?: { template?: V1PodTemplateSpec } }).spec?.template;
    if (!template?.spec || aliases.length === 0) return obj;
    const copy = structuredClone(obj) as KubernetesObject & { spec: { template: V1PodTemplateSpec } };
    copy.spec.template.spec!.hostAliases = [...(template.spec.hostAliases ?? []), ...aliases];
    return copy;
  });
}
