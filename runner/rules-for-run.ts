import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { StartedEnvironment } from "../core/environment.js";
import { prometheusRuleFiles } from "../core/paths.js";
import { compressRuleFile } from "../assertions/slo/index.js";
import type { Report } from "../core/report-schema.js";

/** The stack's scrape interval (env/stack/prometheus.yml). */
const SCRAPE_INTERVAL_MS = 5000;
/** Compressed ranges keep at least four scrapes, so rate() is never empty and not too noisy. */
const MIN_RANGE_MS = 4 * SCRAPE_INTERVAL_MS;

/**
 * Loads the stack's rules into Prometheus for this run: as shipped, or time-compressed by the
 * experiment's factor so a burn alert that takes an hour fires in minutes. The copies are kept
 * in the run's output folder, and the report says which were used.
 */
export async function prepareRules(
  factor: number,
  env: StartedEnvironment,
  outDir: string,
  targetRules: readonly string[] = [],
): Promise<Report["environment"]["rules"]> {
  const sources = [...prometheusRuleFiles(), ...targetRules];
  const names = sources.map((f) => path.basename(f));
  const clash = names.find((n, i) => names.indexOf(n) !== i);
  if (clash) throw new Error(`rules: two rule files are named ${clash} (the stack's and the target's); Prometheus loads them from one folder, rename one`);
  const files = sources.map((file) => {
    if (factor === 1) return { file, name: path.basename(file), text: undefined, warnings: [] as string[] };
    const compressed = compressRuleFile(file, factor, { scrapeIntervalMs: SCRAPE_INTERVAL_MS, minRangeMs: MIN_RANGE_MS });
    return { file, name: path.basename(file), text: compressed.text, warnings: compressed.warnings };
  });
  const rulesOut = path.join(outDir, "rules");
  mkdirSync(rulesOut, { recursive: true });
  const applied = files.map((f) => ({ name: f.name, content: f.text ?? readFileSync(f.file, "utf8") }));
  for (const f of applied) writeFileSync(path.join(rulesOut, f.name), f.content);
  await env.applyRules(applied);
  return { compressed: factor !== 1, factor, files: applied.map((f) => path.join(rulesOut, f.name)), warnings: files.flatMap((f) => f.warnings) };
}
