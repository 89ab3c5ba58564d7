import type { KubeConfig } from "@kubernetes/client-node";
import type { ComponentInfo } from "../../core/environment.js";
import { buildLocalImages } from "../images/index.js";
import { prometheusRules } from "../../core/paths.js";
import { upstreamImages, type StackImages } from "../testcontainers/container-images.js";
import * as cmd from "./kind-commands.js";
import { runStep } from "./kind-tools.js";
import { installManifests } from "./install-manifests.js";
import type { KubeTarget } from "./kube-target.js";
import { localTargetObjects } from "./local-target-manifest.js";
import { stackObjects } from "./stack-objects.js";
import { requireTargetImage } from "./target-image.js";

/**
 * Manifests mode (env.options.stack: manifests): the project's own manifests for the stack and
 * the target's for the service, with `slo-harness images build`'s images (or the upstream ones)
 * loaded into the node, so `--env kind --images local` needs no registry and no chart repository.
 */
export async function installManifestStack(
  plan: cmd.ClusterPlan,
  kc: KubeConfig,
  kube: KubeTarget,
  images: "local" | "upstream",
  webhookUrl: string,
  harnessMetrics?: string,
): Promise<ComponentInfo[]> {
  const refs: StackImages = images === "local" ? await buildLocalImages({ log: (line) => process.stderr.write(`images: ${line}\n`) }) : upstreamImages();
  const target = kube.image ? [await requireTargetImage(kube)] : [];
  const used = [...target, refs.postgres, refs.collector, refs.jaeger, refs.logs, refs.prometheus, refs.alertmanager];
  await runStep("load-images", cmd.loadImageCommand(plan.name, used));
  const objects = localTargetObjects(kube, refs, { serviceMonitor: false });
  await installManifests(kc, [
    ...stackObjects({ images: refs, webhookUrl, ruleFiles: prometheusRules(), target: kube, ...(harnessMetrics ? { harnessMetrics } : {}) }),
    ...objects,
  ]);
  return [
    { name: "prometheus", version: refs.prometheus },
    { name: "alertmanager", version: refs.alertmanager },
    { name: "jaeger", version: refs.jaeger },
    { name: "otel-collector", version: refs.collector },
    { name: "victoria-logs", version: refs.logs },
    { name: kube.name, version: kube.image ?? `manifests: ${kube.files.join(", ")}` },
    ...(kube.postgres ? [{ name: "postgres", version: refs.postgres }] : []),
  ];
}
