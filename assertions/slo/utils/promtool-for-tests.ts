import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import YAML from "yaml";
import { runTool, type ToolResult } from "./tool-run.js";

/** Writes the text to a temp file and runs the real `promtool check rules` on it. */
export async function promtoolCheckRulesText(text: string, name = "rules.yml"): Promise<ToolResult> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "slo-harness-test-")), name);
  writeFileSync(file, text);
  return runTool("promtool", ["check", "rules", file]);
}

/** Runs the real `promtool test rules` with the rules text and a unit-test document (rule_files is filled in). */
export async function promtoolTestRules(rulesText: string, test: Record<string, unknown>): Promise<ToolResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-test-"));
  writeFileSync(path.join(dir, "rules.yml"), rulesText);
  writeFileSync(path.join(dir, "test.yml"), YAML.stringify({ rule_files: ["rules.yml"], ...test }));
  return runTool("promtool", ["test", "rules", "test.yml"], { cwd: dir });
}
