import path from "node:path";
import axios from "axios";
import YAML from "yaml";
import { KubernetesObjectApi, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import type { RuleFile } from "../../core/environment.js";
import { apiMessage } from "../../core/kube-config.js";
import { MONITORING_NAMESPACE } from "./chart-versions.js";

const RULES_LABEL = "slo-harness.rules";
const API_VERSION = "monitoring.coreos.com/v1";

export function ruleObjectName(file: string): string {
  const stem = file
    .replace(/\.ya?ml$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `slo-harness-${stem}`.slice(0, 63).replace(/-+$/, "");
}

/** One PrometheusRule per rule file; the file's groups become its spec unchanged. */
export function prometheusRuleFor(file: RuleFile): KubernetesObject & { spec: unknown } {
  const parsed = YAML.parse(file.content) as { groups?: unknown };
  if (!parsed || !Array.isArray(parsed.groups)) throw new Error(`rule file ${file.name}: expected a top-level "groups" list`);
  return {
    apiVersion: API_VERSION,
    kind: "PrometheusRule",
    metadata: { name: ruleObjectName(file.name), namespace: MONITORING_NAMESPACE, labels: { [RULES_LABEL]: "true" } },
    spec: { groups: parsed.groups },
  };
}

/**
 * Replaces the harness's PrometheusRule objects with one per file, then waits until Prometheus
 * evaluates them. The operator names each rule file after the object's UID, and delete-and-create
 * gives new UIDs, so "loaded" is exact: every group comes from a file with a new UID.
 */
export async function replaceRules(kc: KubeConfig, prometheusUrl: string, files: RuleFile[], timeoutMs = 180_000): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  const objects = files.map(prometheusRuleFor);
  try {
    const old = await client.list(API_VERSION, "PrometheusRule", MONITORING_NAMESPACE, undefined, undefined, undefined, undefined, `${RULES_LABEL}=true`);
    for (const item of old.items)
      await client.delete({ apiVersion: API_VERSION, kind: "PrometheusRule", metadata: { name: item.metadata!.name!, namespace: MONITORING_NAMESPACE } });
  } catch (err) {
    throw new Error(`removing the previous PrometheusRule objects in ${MONITORING_NAMESPACE} failed: ${apiMessage(err)}`, { cause: err });
  }
  const uids: string[] = [];
  for (const obj of objects) {
    try {
      uids.push((await client.create(obj)).metadata!.uid!);
    } catch (err) {
      throw new Error(
        `creating PrometheusRule ${MONITORING_NAMESPACE}/${obj.metadata?.name} failed (the operator's admission webhook checks the rules): ${apiMessage(err)}`,
        { cause: err },
      );
    }
  }
  const deadline = Date.now() + timeoutMs;
  let seen = "nothing yet";
  for (;;) {
    try {
      const res = await axios.get(`${prometheusUrl}/api/v1/rules`, { proxy: false, timeout: 5000 });
      const loaded = (res.data.data.groups as { file: string }[]).map((g) => path.basename(g.file));
      const ours = loaded.filter((f) => f.startsWith(`${MONITORING_NAMESPACE}-slo-harness-`));
      if (uids.every((uid) => ours.some((f) => f.includes(uid))) && ours.every((f) => uids.some((uid) => f.includes(uid)))) return;
      seen = ours.length ? ours.join(", ") : "no slo-harness rule files";
    } catch (err) {
      seen = `an error: ${(err as Error).message}`;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Prometheus did not load the new rules within ${timeoutMs / 1000}s (the operator writes them to a ConfigMap the config reloader watches); its rules API showed ${seen}`,
      );
    }
    await new Promise((r) => setTimeout(r, 3000));
  }
}
