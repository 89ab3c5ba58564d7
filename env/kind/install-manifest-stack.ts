import type { KubeConfig } from "@kubernetes/client-node";
import type { ComponentInfo } from "../../core/environment.js";
import { buildLocalImages } from "../images/index.js";
import { prometheusRules, targetDir } from "../../core/paths.js";
import { upstreamImages, type StackImages } from "../testcontainers/container-images.js";
import { TARGET_IMAGE } from "./chart-versions.js";
import * as cmd from "./kind-commands.js";
import { runStep } from "./kind-tools.js";
import { installManifests } from "./install-manifests.js";
import { localTargetObjects } from "./local-target-manifest.js";
import { stackObjects } from "./stack-objects.js";

/**
 * Manifests mode (env.options.stack: manifests): the project's own manifests for the stack and
 * the target, with `slo-harness images build`'s images (or the upstream ones) loaded into the
 * node, so `--env kind --images local` needs no registry and no chart repository.
 */
export async function installManifestStack(plan: cmd.ClusterPlan, kc: KubeConfig, images: "local" | "upstream", webhookUrl: string): Promise<ComponentInfo[]> {
  let refs: StackImages;
  if (images === "local") {
    refs = await buildLocalImages({ log: (line) => process.stderr.write(`images: ${line}\n`) });
  } else {
    refs = { ...upstreamImages(), target: TARGET_IMAGE };
    await runStep("build-target-image", cmd.buildImageCommand(targetDir()));
  }
  const used = [refs.target, refs.postgres, refs.collector, refs.jaeger, refs.logs, refs.prometheus, refs.alertmanager];
  await runStep("load-images", cmd.loadImageCommand(plan.name, used));
  const target = localTargetObjects(refs, { serviceMonitor: false });
  await installManifests(kc, [...stackObjects({ images: refs, webhookUrl, ruleFiles: prometheusRules() }), ...target]);
  return [
    { name: "prometheus", version: refs.prometheus },
    { name: "alertmanager", version: refs.alertmanager },
    { name: "jaeger", version: refs.jaeger },
    { name: "otel-collector", version: refs.collector },
    { name: "victoria-logs", version: refs.logs },
    { name: "genomics-api", version: refs.target },
    { name: "postgres", version: refs.postgres },
  ];
}
