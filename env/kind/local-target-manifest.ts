import type { KubernetesObject } from "@kubernetes/client-node";
import type { StackImages } from "../testcontainers/container-images.js";
import { TARGET_IMAGE } from "./chart-versions.js";
import { loadManifest } from "./kind-manifests.js";

export interface LocalTargetOptions {
  /** API replicas; default the manifest's. */
  replicas?: number;
  /** Environment of the API container set or replaced by name (e.g. WORKERS, OTEL_EXPORTER_OTLP_ENDPOINT). */
  env?: Record<string, string>;
  /** false where the Prometheus Operator's CRDs are not installed; the ServiceMonitor is then left out. */
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
 * env/stack/kubernetes/genomics-api.yaml for images built here (slo-harness images build) instead
 * of the upstream postgres image and the kind-loaded target: every container runs a local image
 * and is never pulled, so no registry is needed.
 */
export function localTargetObjects(images: Pick<StackImages, "target" | "postgres">, options: LocalTargetOptions = {}): KubernetesObject[] {
  const local: Record<string, string> = { [TARGET_IMAGE]: images.target, [UPSTREAM_POSTGRES]: images.postgres };
  return loadManifest()
    .filter((obj) => options.serviceMonitor !== false || obj.kind !== "ServiceMonitor")
    .map((obj) => {
      if (!["Deployment", "Job"].includes(obj.kind ?? "")) return obj;
      const owner = structuredClone(obj) as PodOwner;
      const pod = owner.spec.template.spec;
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        const image = local[c.image];
        if (!image)
          throw new Error(
            `genomics-api.yaml: ${obj.kind} ${obj.metadata?.name} container ${c.name} runs ${c.image}, which has no locally built image (known: ${Object.keys(local).join(", ")})`,
          );
        c.image = image;
        c.imagePullPolicy = "Never";
      }
      if (obj.kind === "Deployment" && obj.metadata?.name === "genomics-api") {
        if (options.replicas !== undefined) owner.spec.replicas = options.replicas;
        const api = pod.containers[0]!;
        for (const [name, value] of Object.entries(options.env ?? {})) {
          const entry = api.env?.find((e) => e.name === name);
          if (entry) entry.value = value;
          else (api.env ??= []).unshift({ name, value });
        }
      }
      return owner;
    });
}
