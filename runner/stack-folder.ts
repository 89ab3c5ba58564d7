import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { BadInputError } from "../core/errors.js";
import { cacheDir, useStackDir } from "../core/paths.js";
import { amtoolCheckConfig, collectorValidate, promtoolCheckRules } from "../assertions/slo/preflight/tool-checks.js";
import { requireTool, runTool } from "../assertions/slo/utils/tool-run.js";
import type { CheckResult } from "../assertions/slo/index.js";
import { targetJobProblem } from "../env/shared/target-job.js";
import { LOCAL_SCRAPE_JOBS } from "../env/local/index.js";

/** What the providers that start a stack read from its folder (every stackConfigPath() in env/). */
const STACK_FILES: Record<string, string> = {
  "prometheus.yml": "Prometheus' scrape jobs, rule_files and alerting",
  "alertmanager.yml": "Alertmanager's routes and receivers",
  "otel-collector.yaml": "the OpenTelemetry Collector's pipelines",
  "jaeger.yaml": "Jaeger's configuration",
};

/** The kind provider also installs the target's manifest from the folder. */
const KUBERNETES_FILES: Record<string, string> = {};

export const STACK_OPTION_HELP =
  "use this stack folder (a copy of env/stack with your rules and pipelines), checked before anything starts; wins over SLO_HARNESS_STACK_DIR";

/** Which providers will read the folder: each reads some files, or some fields, of its own. */
export interface StackUse {
  kubernetes?: boolean;
  local?: boolean;
}

const COPY_HINT = "start from a copy of the shipped stack: cp -r env/stack my-stack";

function problemOf(result: CheckResult): string | undefined {
  return result.status === "fail" ? `${result.check}: ${result.detail.replace(/^FAILED:\s*/, "")}` : undefined;
}

/** The first document's value; a manifest may hold several, and each must parse. */
function readYaml(file: string): { value?: unknown; error?: string } {
  const docs = [...YAML.parseAllDocuments(readFileSync(file, "utf8"))];
  const error = docs.flatMap((d) => d.errors)[0];
  if (error) return { error: `${file}: not valid YAML: ${error.message.split("\n")[0]}` };
  return { value: docs[0]?.toJS() };
}

/** Scrape jobs the local provider cannot point at a port it started would fail its start, after other components were up. */
function unknownLocalJobs(dir: string, config: unknown): string[] {
  const jobs = ((config as { scrape_configs?: { job_name?: unknown }[] } | null)?.scrape_configs ?? []).map((j) => String(j.job_name));
  const problem = targetJobProblem(jobs, LOCAL_SCRAPE_JOBS);
  return problem ? [`${path.join(dir, "prometheus.yml")}: ${problem}; drop the others, or run on the existing provider against your own Prometheus`] : [];
}

/** The rule files prometheus.yml lists, each one a file the providers can copy (no globs). */
function ruleFiles(dir: string, problems: string[], local: boolean): string[] {
  const config = readYaml(path.join(dir, "prometheus.yml"));
  if (config.error) return [];
  if (local) problems.push(...unknownLocalJobs(dir, config.value));
  const listed = (config.value as { rule_files?: unknown } | null)?.rule_files ?? [];
  if (!Array.isArray(listed)) {
    problems.push(`${path.join(dir, "prometheus.yml")}: rule_files: expected a list of rule files, e.g. [rules/my-api.rules.yml]`);
    return [];
  }
  const files: string[] = [];
  for (const entry of listed.map(String)) {
    const file = path.resolve(dir, entry);
    if (/[*?[]/.test(entry)) problems.push(`${path.join(dir, "prometheus.yml")}: rule_files: "${entry}" is a glob; list each rule file by name`);
    else if (!existsSync(file))
      problems.push(`${path.join(dir, "prometheus.yml")}: rule_files lists ${entry}, which is not in the folder (${file}); add it or drop the line`);
    else files.push(file);
  }
  return files;
}

/** amtool when it is installed (Debian's prometheus-alertmanager ships it), else the YAML and its two required keys. */
async function alertmanagerProblem(file: string): Promise<string | undefined> {
  const amtool = await requireTool("amtool").catch(() => undefined);
  if (amtool) return problemOf(await amtoolCheckConfig(file));
  const parsed = readYaml(file);
  if (parsed.error) return parsed.error;
  const config = parsed.value as { route?: unknown; receivers?: unknown } | null;
  if (!config?.route || !Array.isArray(config.receivers))
    return `${file}: expected a route: and a receivers: list (amtool is not installed to say more: apt-get install prometheus-alertmanager)`;
  return undefined;
}

/** Each file a provider reads that the folder lacks, named with what it is for and the fix. */
export function missingStackFiles(dir: string, options: StackUse = {}): string[] {
  const needed = { ...STACK_FILES, ...(options.kubernetes ? KUBERNETES_FILES : {}) };
  return Object.entries(needed)
    .filter(([file]) => !existsSync(path.join(dir, file)))
    .map(([file, what]) => `${path.join(dir, file)}: missing: ${what}; copy it from env/stack/${file}, or ${COPY_HINT}`);
}

/**
 * Checks a stack folder before anything starts: every file a provider reads is there, and each
 * passes its own tool's validation (promtool for Prometheus' config and every rule file it lists,
 * amtool for Alertmanager's, `otelcol-slo validate` for the collector's). Every problem is named
 * at once, each with its file and the fix. Returns what was checked, for the command to print.
 */
export async function checkStackFolder(dir: string, options: StackUse = {}): Promise<string[]> {
  const where = path.resolve(dir);
  if (!existsSync(where) || !statSync(where).isDirectory())
    throw new BadInputError(
      `--stack ${dir}: no such folder; give a folder that holds prometheus.yml, alertmanager.yml, otel-collector.yaml and jaeger.yaml (${COPY_HINT})`,
    );
  const problems = missingStackFiles(where, options);
  const present = (file: string) => existsSync(path.join(where, file));
  const checked: string[] = [];
  if (present("prometheus.yml")) {
    // Syntax only: the rule files are checked one by one below, so each failure names its own file.
    const config = await runTool("promtool", ["check", "config", "--syntax-only", path.join(where, "prometheus.yml")]);
    if (!config.ok) problems.push(`promtool check config ${path.join(where, "prometheus.yml")}: ${config.output.replace(/^Checking .*\n/, "").trim()}`);
    for (const file of ruleFiles(where, problems, options.local ?? false)) {
      const problem = problemOf(await promtoolCheckRules(file));
      if (problem) problems.push(problem);
      checked.push(path.relative(where, file));
    }
    checked.unshift("prometheus.yml");
  }
  if (present("alertmanager.yml")) {
    const problem = await alertmanagerProblem(path.join(where, "alertmanager.yml"));
    if (problem) problems.push(problem);
    checked.push("alertmanager.yml");
  }
  if (present("otel-collector.yaml")) {
    const collector = path.join(cacheDir(), "bin", "otelcol-slo");
    if (!existsSync(collector))
      problems.push(`otelcol-slo: not found at ${collector}, so ${path.join(where, "otel-collector.yaml")} cannot be validated; run \`bash tools/install.sh\``);
    else {
      const problem = problemOf(await collectorValidate(collector, path.join(where, "otel-collector.yaml")));
      if (problem) problems.push(problem);
    }
    checked.push("otel-collector.yaml");
  }
  for (const file of ["jaeger.yaml", ...(options.kubernetes ? Object.keys(KUBERNETES_FILES) : [])]) {
    if (!present(file)) continue;
    const parsed = readYaml(path.join(where, file));
    if (parsed.error) problems.push(parsed.error);
    checked.push(file);
  }
  if (problems.length) throw new BadInputError(`--stack ${dir}: not a usable stack folder:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  return checked;
}

/** `--stack DIR`: checked, then used by every provider this process starts (over SLO_HARNESS_STACK_DIR). */
export async function useStackFolder(dir: string, options: StackUse = {}): Promise<string[]> {
  const checked = await checkStackFolder(dir, options);
  useStackDir(dir);
  return checked;
}
