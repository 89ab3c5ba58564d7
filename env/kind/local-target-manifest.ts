import type { KubernetesObject } from "@kubernetes/client-node";
import type { StackImages } from "../testcontainers/container-images.js";
import type { KubeTarget } from "./kube-target.js";

export interface LocalTargetOptions {
  /** Replicas of the target's Deployment; default the manifest's. */
  replicas?: number;
  /** Environment of the Deployment's first container, set or replaced by name (e.g. WORKERS, OTEL_EXPORTER_OTLP_ENDPOINT). */
  env?: Record<string, string>;
  /** false where the Prometheus Operator's CRDs are not installed; ServiceMonitors are then left out. */
  serviceMonitor?: boolean;
}

interface Container {
  name: string;
  image: string;
  imagePullPolicy?: string;
  env?: Array<{ name: string; value?: string }>;
}
interface PodOwner extends KubernetesObject {
  spec: { replicas?: number; template: { spec: { containers: Container[]; initContainers?: Container[] } } };
}

const UPSTREAM_POSTGRES = "postgres:15-bookworm";

/**
 * The target's manifests with every container on an image the node already has, never pulled, so
 * no registry is needed: the target's own image (loaded from the local engine) and, with images
 * built here (`slo-harness images build`), the local PostgreSQL in place of the upstream one.
 */
export function localTargetObjects(
  kube: KubeTarget,
  images: Pick<StackImages, "postgres"> & { target?: string },
  options: LocalTargetOptions = {},
): KubernetesObject[] {
  // images.target: the same image under a tag that names its content, for a node that caches by tag.
  const local: Record<string, string> = { [UPSTREAM_POSTGRES]: images.postgres, ...(kube.image ? { [kube.image]: images.target ?? kube.image } : {}) };
  return kube.objects
    .filter((obj) => options.serviceMonitor !== false || obj.kind !== "ServiceMonitor")
    .map((obj) => {
      if (!["Deployment", "Job"].includes(obj.kind ?? "")) return obj;
      const owner = structuredClone(obj) as PodOwner;
      const pod = owner.spec.template.spec;
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        const image = local[c.image];
        if (!image)
          throw new Error(
            `${kube.files.join(", ")}: ${obj.kind} ${obj.metadata?.name} container ${c.name} runs ${c.image}, which is neither the target's kubernetes.image nor one built here (known: ${Object.keys(local).join(", ")})`,
          );
        c.image = image;
        c.imagePullPolicy = "Never";
      }
      if (obj.kind === "Deployment" && obj.metadata?.name === kube.deployment) {
        if (options.replicas !== undefined) owner.spec.replicas = options.replicas;
        const first = pod.containers[0]!;
        for (const [name, value] of Object.entries(options.env ?? {})) {
          const entry = first.env?.find((e) => e.name === name);
          if (entry) entry.value = value;
          else (first.env ??= []).unshift({ name, value });
        }
      }
      return owner;
    });
}
