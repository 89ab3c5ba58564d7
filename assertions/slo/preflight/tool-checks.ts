import { readFileSync } from "node:fs";
import { fail, pass, type CheckResult } from "./check-result.js";
import { runTool, type ToolResult } from "../utils/tool-run.js";

function fromTool(check: string, result: ToolResult): CheckResult {
  const lines = result.output
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  if (result.ok) return pass(check, lines.filter((l) => /SUCCESS/.test(l)).join("; ") || result.command);
  return fail(check, lines.filter((l) => !/^(Checking|SUCCESS)/.test(l)).join("\n") || `${result.command} exited ${result.exitCode}`);
}

/** promtool check config also checks every rule file the config lists. */
export async function promtoolCheckConfig(configFile: string): Promise<CheckResult> {
  return fromTool(`promtool check config ${configFile}`, await runTool("promtool", ["check", "config", configFile]));
}

export async function promtoolCheckRules(ruleFile: string): Promise<CheckResult> {
  return fromTool(`promtool check rules ${ruleFile}`, await runTool("promtool", ["check", "rules", ruleFile]));
}

export async function amtoolCheckConfig(configFile: string): Promise<CheckResult> {
  return fromTool(`amtool check-config ${configFile}`, await runTool("amtool", ["check-config", configFile]));
}

/**
 * The collector's own validation. Its config takes ports from ${env:VAR}; each gets a
 * distinct dummy port so validation sees a complete config without anything listening.
 * `settings` are variables the caller knows better than a dummy port (an auth type, say).
 */
export async function collectorValidate(binary: string, configFile: string, settings: Record<string, string> = {}): Promise<CheckResult> {
  const vars = [...new Set([...readFileSync(configFile, "utf8").matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!))];
  const env: Record<string, string> = { ...process.env } as Record<string, string>;
  vars.forEach((v, i) => (env[v] = String(20000 + i)));
  Object.assign(env, settings);
  return fromTool(`otelcol validate ${configFile}`, await runTool(binary, ["validate", `--config=${configFile}`], { env }));
}
