import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadAllYaml, type KubernetesObject } from "@kubernetes/client-node";
import type { TargetModel } from "../../core/target-spec.js";

/** A target's kubernetes: block with its defaults filled in and its manifests read. */
export interface KubeTarget {
  name: string;
  namespace: string;
  service: string;
  port: number;
  /** The name of that Service port, which Prometheus's endpoints discovery can select on. */
  portName?: string;
  deployment: string;
  image?: string;
  metricsPath: string;
  /** Every object of the manifests, in file order. */
  objects: KubernetesObject[];
  /** The manifests' files, for messages. */
  files: string[];
  waitFor: { deployments: string[]; jobs: string[] };
  postgres?: { service: string; port: number; database: string; role: string };
}

/**
 * Reads the manifests the target names and checks what the kind provider relies on: every object
 * in the target's namespace (the one pod faults may touch), and the Service and Deployment there.
 */
export function kubeTarget(target: TargetModel): KubeTarget {
  const k = target.kubernetes;
  if (!k) throw new Error(`${target.source}: kubernetes: the kind provider runs the target from its kubernetes: block (manifests, namespace, port); add one`);
  const files = k.manifests.map((m) => path.resolve(target.dir, m));
  const objects: KubernetesObject[] = [];
  for (const [i, file] of files.entries()) {
    if (!existsSync(file)) throw new Error(`${target.source}: kubernetes.manifests[${i}]: no file at ${file}; paths are relative to ${target.dir}`);
    objects.push(...(loadAllYaml(readFileSync(file, "utf8")).filter(Boolean) as KubernetesObject[]));
  }
  const service = k.service ?? target.name;
  const deployment = k.deployment ?? target.name;
  const problems: string[] = [];
  for (const o of objects) {
    if (o.kind !== "Namespace" && o.metadata?.namespace !== k.namespace)
      problems.push(`${o.kind} ${o.metadata?.name} is in namespace ${o.metadata?.namespace ?? "(none)"}, not ${k.namespace}`);
  }
  const has = (kind: string, name: string) => objects.some((o) => o.kind === kind && o.metadata?.name === name);
  const serviceObject = objects.find((o) => o.kind === "Service" && o.metadata?.name === service) as
    (KubernetesObject & { spec?: { ports?: { name?: string; port?: number }[] } }) | undefined;
  const servicePort = serviceObject?.spec?.ports?.find((p) => p.port === k.port);
  if (!serviceObject) problems.push(`no Service ${service} (kubernetes.service)`);
  else if (!servicePort) problems.push(`Service ${service} has no port ${k.port} (kubernetes.port)`);
  if (!has("Deployment", deployment)) problems.push(`no Deployment ${deployment} (kubernetes.deployment)`);
  if (problems.length) throw new Error(`${target.source}: kubernetes.manifests: ${problems.join("; ")}`);
  const named = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata!.name!);
  return {
    name: target.name,
    namespace: k.namespace,
    service,
    port: k.port,
    ...(servicePort?.name ? { portName: servicePort.name } : {}),
    deployment,
    ...(k.image ? { image: k.image } : {}),
    metricsPath: target.metrics,
    objects,
    files,
    waitFor: k.waitFor ?? { deployments: named("Deployment"), jobs: named("Job") },
    ...(k.postgres ? { postgres: { ...k.postgres, role: k.postgres.role ?? k.postgres.database } } : {}),
  };
}
