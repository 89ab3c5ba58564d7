import path from "node:path";
import axios from "axios";
import type { KubeConfig } from "@kubernetes/client-node";
import type { RuleFile } from "../../core/environment.js";
import { applyObjects } from "./kind-manifests.js";
import { ruleKey, rulesConfigMap } from "./stack-objects.js";

/**
 * Swaps the rule files of the manifests' Prometheus (e.g. for time-compressed copies): the
 * ConfigMap is replaced, kubelet updates the mounted files (within its sync period), and
 * Prometheus is reloaded until its rules API shows exactly the new files, named by content hash.
 */
export async function replaceManifestRules(kc: KubeConfig, prometheusUrl: string, files: RuleFile[], timeoutMs = 180_000): Promise<void> {
  await applyObjects(kc, [rulesConfigMap(files)], "the stack's rule files");
  const want = new Set(files.map(ruleKey));
  const deadline = Date.now() + timeoutMs;
  let seen = "nothing yet";
  for (;;) {
    try {
      await axios.post(`${prometheusUrl}/-/reload`, undefined, { proxy: false, timeout: 30_000, validateStatus: () => true });
      const res = await axios.get(`${prometheusUrl}/api/v1/rules`, { proxy: false, timeout: 5000 });
      const loaded = new Set((res.data.data.groups as { file: string }[]).map((g) => path.basename(g.file)));
      if (loaded.size === want.size && [...want].every((k) => loaded.has(k))) return;
      seen = loaded.size ? [...loaded].join(", ") : "no rule files";
    } catch (err) {
      seen = `an error: ${(err as Error).message}`;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Prometheus did not load the new rule files ${[...want].join(", ")} within ${timeoutMs / 1000}s (kubelet updates a mounted ConfigMap within its sync period); its rules API showed ${seen}`,
      );
    }
    await new Promise((r) => setTimeout(r, 3000));
  }
}
