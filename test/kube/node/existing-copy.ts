import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { repoRoot } from "../../../core/paths.js";
import type { StackUrls } from "./stack-on-node.js";

export interface ExistingTarget {
  kubeconfig: string;
  urls: StackUrls;
  /** host:port of the harness's receiver, where the stack's Alertmanager pages. */
  alertReceiver: string;
  /** host:port where the harness serves its own metrics, where the stack's Prometheus scrapes them. */
  harnessMetrics?: string;
}

/**
 * A shipped experiment (experiments/kubernetes/) as it runs on the existing provider against the
 * real node: only `env` (the cluster and the port-forwarded endpoints) and `rules.compress` (the
 * existing provider cannot swap a deployment's rules) change; load, faults and expectations are
 * the file's own, except the faults' `with` when a test seeds a defect through them.
 */
export function writeExistingCopy(experiment: string, target: ExistingTarget, outDir: string, faultWith: Record<string, Record<string, unknown>> = {}): string {
  const spec = YAML.parse(readFileSync(path.join(repoRoot, "experiments", "kubernetes", `${experiment}.yaml`), "utf8"));
  const { api, prometheus, alertmanager, jaeger, logs, collector } = target.urls;
  spec.env = {
    provider: "existing",
    options: {
      kubeconfig: target.kubeconfig,
      alertReceiver: target.alertReceiver,
      ...(target.harnessMetrics ? { harnessMetrics: target.harnessMetrics } : {}),
      endpoints: { api, prometheus, alertmanager, jaeger, logs, logsBackend: "victorialogs", collector },
    },
  };
  spec.rules = { compress: 1 };
  for (const fault of spec.faults as Array<{ id: string; with: Record<string, unknown> }>) if (faultWith[fault.id]) fault.with = faultWith[fault.id]!;
  const file = path.join(outDir, `${experiment}.yaml`);
  writeFileSync(file, YAML.stringify(spec));
  return file;
}
