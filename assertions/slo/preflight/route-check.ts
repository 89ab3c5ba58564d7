import { readFileSync } from "node:fs";
import YAML from "yaml";
import { fail, pass, type CheckResult } from "./check-result.js";
import { runTool } from "../utils/tool-run.js";
import type { RuleFile } from "../utils/rule-file.js";

interface Receiver {
  name: string;
  [integration: string]: unknown;
}

/** A receiver with no *_configs drops what it gets: routed, but nobody is told. */
function integrations(receiver: Receiver): string[] {
  return Object.entries(receiver)
    .filter(([k, v]) => k.endsWith("_configs") && Array.isArray(v) && v.length > 0)
    .map(([k]) => k.replace(/_configs$/, ""));
}

/** Labels an alert is known to carry before templating: its name and static labels. */
function staticLabels(alert: string, labels: Record<string, string> | undefined): string[] {
  const out = [`alertname=${alert}`];
  for (const [k, v] of Object.entries(labels ?? {})) if (!v.includes("{{")) out.push(`${k}=${v}`);
  return out;
}

/** Asks amtool where each alert would go, and checks that receiver reaches someone. */
export async function checkRoutes(alertmanagerConfig: string, ruleFiles: { file: string; rules: RuleFile }[]): Promise<CheckResult[]> {
  const config = YAML.parse(readFileSync(alertmanagerConfig, "utf8")) as { receivers?: Receiver[] };
  const receivers = new Map((config.receivers ?? []).map((r) => [r.name, r]));
  const results: CheckResult[] = [];
  for (const { file, rules } of ruleFiles) {
    for (const g of rules.groups) {
      for (const r of g.rules) {
        if (!r.alert) continue;
        const check = `route ${r.alert}${r.labels?.severity ? ` [${r.labels.severity}]` : ""} (${file})`;
        const labels = staticLabels(r.alert, r.labels);
        const out = await runTool("amtool", ["config", "routes", "test", `--config.file=${alertmanagerConfig}`, ...labels]);
        if (!out.ok) {
          results.push(fail(check, `amtool config routes test ${labels.join(" ")}: ${out.output}`));
          continue;
        }
        const names = out.output
          .split("\n")
          .filter((l) => !l.startsWith("Warning:"))
          .join(",")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        const dead = names.filter((n) => !receivers.has(n) || integrations(receivers.get(n)!).length === 0);
        if (names.length === 0 || dead.length) {
          results.push(
            fail(
              check,
              `routes to ${names.join(", ") || "nothing"}${dead.length ? `; receiver ${dead.join(", ")} has no integrations (webhook_configs, email_configs, ...) so nobody is told` : ""}; add a route or an integration in ${alertmanagerConfig}`,
            ),
          );
        } else {
          results.push(pass(check, `routes to ${names.map((n) => `${n} (${integrations(receivers.get(n)!).join(", ")})`).join(", ")}`));
        }
      }
    }
  }
  return results;
}
