import { existsSync, readFileSync } from "node:fs";
import { homedir, tmpdir, userInfo } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

// Sources run from the repo (ts-jest) and compiled code runs from dist/, at different depths,
// so the root is found by walking up to our own package.json rather than by a fixed "../..".
function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "slo-harness") return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`slo-harness: cannot find the repository root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export const repoRoot = findRepoRoot();

/** Set once by `--stack DIR`, after the folder was checked; it wins over SLO_HARNESS_STACK_DIR. */
let chosenStackDir: string | undefined;

export function useStackDir(dir: string): void {
  chosenStackDir = path.resolve(dir);
}

/**
 * The observability stack's configuration: the folder `--stack` names, else a copy of env/stack/
 * named by SLO_HARNESS_STACK_DIR (the mutation suite's seeded defects), else env/stack/.
 */
export function stackDir(): string {
  return chosenStackDir ?? process.env.SLO_HARNESS_STACK_DIR ?? path.join(repoRoot, "env", "stack");
}

export function stackConfigPath(...parts: string[]): string {
  return path.join(stackDir(), ...parts);
}

/** The rule files a stack's prometheus.yml loads (its rule_files), as absolute paths. */
export function prometheusRuleFiles(dir = stackDir()): string[] {
  const configFile = path.join(dir, "prometheus.yml");
  if (!existsSync(configFile)) return [];
  const config = YAML.parse(readFileSync(configFile, "utf8")) as { rule_files?: string[] } | null;
  return (config?.rule_files ?? []).map((f) => path.resolve(dir, f));
}

/** Those rule files by name and content, as providers hand them to their Prometheus. */
export function prometheusRules(dir = stackDir()): { name: string; content: string }[] {
  return prometheusRuleFiles(dir).map((f) => ({ name: path.basename(f), content: readFileSync(f, "utf8") }));
}

/** The target API's source: env/target/, or a copy of it named by SLO_HARNESS_TARGET_DIR. */
export function targetDir(): string {
  return process.env.SLO_HARNESS_TARGET_DIR ?? path.join(repoRoot, "env", "target");
}

export function cacheDir(): string {
  return process.env.SLO_HARNESS_CACHE ?? path.join(homedir(), ".cache", "slo-harness");
}

// Run directories live under the system temp dir, not the cache: PostgreSQL runs as an
// unprivileged user when we are root and must be able to reach its data directory.
export function runsRoot(): string {
  return process.env.SLO_HARNESS_RUNS ?? path.join(tmpdir(), `slo-harness-${userInfo().username}`, "runs");
}

/**
 * Fault journals, one per run, beside the run directories and not inside them: stopping a stack
 * removes its run directory, and a kept or orphaned stack must still be found by every later start.
 */
export function journalsRoot(): string {
  return process.env.SLO_HARNESS_JOURNALS ?? path.join(tmpdir(), `slo-harness-${userInfo().username}`, "journals");
}
