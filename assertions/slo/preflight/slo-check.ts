import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateRules, renderRuleFile } from "../rule-generator.js";
import type { SloDefinition } from "../slo-definition.js";
import { loadSloFile, sloFilesIn, uniqueNames } from "../slo-loader.js";
import { fail, pass, type CheckResult } from "./check-result.js";
import { promtoolCheckRules } from "./tool-checks.js";

/**
 * A folder of SLO files before a run needs it (check --slos): each file read in whatever format it
 * is, the rules the harness would generate from it checked by promtool, and names unique across files.
 */
export async function checkSloFiles(dir: string): Promise<CheckResult[]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [fail(`SLO folder ${dir}`, `--slos ${dir}: no such folder; give a folder of SLO files`)];
  const files = sloFilesIn(dir);
  if (files.length === 0) return [fail(`SLO folder ${dir}`, `--slos ${dir}: the folder holds no .yaml or .yml SLO files`)];
  const results: CheckResult[] = [];
  const all: SloDefinition[] = [];
  const work = mkdtempSync(path.join(tmpdir(), "slo-harness-slo-check-"));
  for (const file of files) {
    const relative = path.relative(process.cwd(), file);
    // Outside the working folder a relative path climbs out of it (../../tmp/x) and hides where the file is.
    const shown = relative && !relative.startsWith("..") ? relative : file;
    let slos: SloDefinition[];
    try {
      slos = loadSloFile(file);
    } catch (err) {
      results.push(fail(`read SLO file ${shown}`, (err as Error).message));
      continue;
    }
    all.push(...slos);
    results.push(pass(`read SLO file ${shown}`, slos.map((s) => `${s.name} (${Number((s.objective * 100).toPrecision(10))} % over ${s.period})`).join(", ")));
    const rules = path.join(work, `${path.basename(file).replace(/\.ya?ml$/, "")}.rules.yml`);
    writeFileSync(rules, renderRuleFile({ groups: slos.flatMap((s) => generateRules(s).groups) }, `from ${shown} by \`slo-harness check --slos\``));
    const checked = await promtoolCheckRules(rules);
    results.push({ ...checked, check: `promtool check rules (generated from ${shown})` });
  }
  try {
    uniqueNames(all);
  } catch (err) {
    results.push(fail(`SLO names in ${dir}`, (err as Error).message));
  }
  return results;
}
