import { readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import axios from "axios";
import type { RuleFile } from "../../core/environment.js";
import { rulesDir } from "./components/prometheus.js";

/**
 * Replaces the rule files of a running stack's Prometheus and reloads it, then checks every
 * group loaded: a rule file Prometheus refuses keeps the old rules, which must not pass silently.
 */
export async function applyRuleFiles(runDir: string, prometheusUrl: string, files: RuleFile[]): Promise<void> {
  const dir = rulesDir(runDir);
  for (const old of readdirSync(dir)) rmSync(path.join(dir, old));
  for (const file of files) writeFileSync(path.join(dir, file.name.endsWith(".yml") ? file.name : `${file.name}.yml`), file.content);
  const reload = await axios.post(`${prometheusUrl}/-/reload`, undefined, { proxy: false, validateStatus: () => true, timeout: 30_000 });
  if (reload.status !== 200) throw new Error(`Prometheus refused the new rules (HTTP ${reload.status}): ${String(reload.data).trim()}`);
  const rules = await axios.get(`${prometheusUrl}/api/v1/rules`, { proxy: false, timeout: 5000 });
  const loaded = new Set((rules.data.data.groups as { file: string }[]).map((g) => path.basename(g.file)));
  const missing = files.map((f) => (f.name.endsWith(".yml") ? f.name : `${f.name}.yml`)).filter((name) => !loaded.has(name));
  if (missing.length > 0) throw new Error(`Prometheus reloaded but has no rule groups from ${missing.join(", ")}`);
}
