import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import axios from "axios";
import YAML from "yaml";
import { PrometheusClient } from "../../clients/prometheus-client.js";
import { fail, skip, type CheckResult } from "./check-result.js";
import { parseExposition, checkMetricsExposed, type Exposition } from "./metric-check.js";
import { checkRoutes } from "./route-check.js";
import { checkTemplates } from "./template-check.js";
import { amtoolCheckConfig, collectorValidate, promtoolCheckConfig, promtoolCheckRules } from "./tool-checks.js";
import { readRuleFile, type RuleFile } from "../utils/rule-file.js";
import { prometheusRuleFiles } from "../../../core/paths.js";

export interface PreflightOptions {
  /** Rule files to check besides those prometheus.yml loads and rules/generated/. */
  extraRuleFiles?: string[];
  /** The collector binary; without it the collector check is skipped. */
  collectorBinary?: string;
  /** Scrape these (job → URL on 127.0.0.1) for the metric cross-check. */
  targets?: { job: string; url: string }[];
  /** Or read saved /metrics output (job → file). */
  metricsFiles?: { job: string; file: string }[];
  /** Or ask this Prometheus for its targets and scrape each. */
  prometheusUrl?: string;
}

interface PromConfig {
  rule_files?: string[];
  scrape_configs?: { job_name: string }[];
}

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "[::1]")
    throw new Error(`${url}: the preflight only scrapes 127.0.0.1; forward the target to a local port`);
}

async function scrape(job: string, url: string): Promise<Exposition> {
  assertLoopback(url);
  const response = await axios.get<string>(url, { proxy: false, timeout: 5000, responseType: "text" });
  return parseExposition(job, url, response.data);
}

async function gatherExpositions(options: PreflightOptions): Promise<{ expositions: Exposition[]; errors: CheckResult[]; source?: string }> {
  const errors: CheckResult[] = [];
  const expositions: Exposition[] = [];
  for (const m of options.metricsFiles ?? []) expositions.push(parseExposition(m.job, m.file, readFileSync(m.file, "utf8")));
  const targets = [...(options.targets ?? [])];
  if (options.prometheusUrl) {
    try {
      assertLoopback(options.prometheusUrl);
      for (const t of await new PrometheusClient(options.prometheusUrl).targets()) targets.push({ job: t.job, url: t.scrapeUrl });
    } catch (err) {
      errors.push(fail("discover targets", `${options.prometheusUrl}: ${(err as Error).message}`));
    }
  }
  for (const t of targets) {
    try {
      expositions.push(await scrape(t.job, t.url));
    } catch (err) {
      errors.push(fail(`scrape ${t.job}`, `${t.url}: ${(err as Error).message}`));
    }
  }
  const source = options.prometheusUrl
    ? `targets of ${options.prometheusUrl}`
    : targets.length || options.metricsFiles?.length
      ? "the given targets"
      : undefined;
  return { expositions, errors, source };
}

/** Files of a folder that hold Prometheus rule groups (a top-level `groups:` list). */
function ruleFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f))
    .filter((f) => {
      try {
        return Array.isArray((YAML.parse(readFileSync(f, "utf8")) as { groups?: unknown } | null)?.groups);
      } catch {
        return false;
      }
    });
}

/**
 * The rule files a stack directory holds: prometheus.yml's rule_files, rules/generated/, and any
 * other rule file in the folder or its rules/ (a folder of rules alone is checked too).
 */
export function stackRuleFiles(dir: string): string[] {
  const listed = prometheusRuleFiles(dir);
  const found = [...ruleFilesIn(dir), ...ruleFilesIn(path.join(dir, "rules")), ...ruleFilesIn(path.join(dir, "rules", "generated"))];
  // prometheus.yml's entries come back absolute; a relative `dir` must not list the same file twice.
  return [...new Set([...listed, ...found].map((f) => path.resolve(f)))];
}

/**
 * Everything that can be known about a stack's configuration before it runs: each tool's
 * own validation, then cross-checks between them (rules against targets, alerts against routes).
 */
export async function preflight(dir: string, options: PreflightOptions = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const promConfig = path.join(dir, "prometheus.yml");
  const amConfig = path.join(dir, "alertmanager.yml");
  const collectorConfig = path.join(dir, "otel-collector.yaml");
  let jobs: string[] = [];
  if (existsSync(promConfig)) {
    results.push(await promtoolCheckConfig(promConfig));
    jobs = ((YAML.parse(readFileSync(promConfig, "utf8")) as PromConfig).scrape_configs ?? []).map((s) => s.job_name);
  } else results.push(skip("promtool check config", `${promConfig}: not found`));

  const ruleFiles = [...new Set([...stackRuleFiles(dir), ...(options.extraRuleFiles ?? []).map((f) => path.resolve(f))])];
  const parsed: { file: string; rules: RuleFile }[] = [];
  for (const file of ruleFiles) {
    const shown = path.relative(process.cwd(), file) || file;
    results.push(await promtoolCheckRules(shown));
    try {
      const rules = readRuleFile(shown);
      parsed.push({ file: shown, rules });
      results.push(checkTemplates(shown, rules));
    } catch (err) {
      results.push(fail(`read ${shown}`, (err as Error).message));
    }
  }

  if (existsSync(amConfig)) {
    results.push(await amtoolCheckConfig(amConfig));
    results.push(...(await checkRoutes(amConfig, parsed)));
  } else results.push(skip("amtool check-config", `${amConfig}: not found; alert routing is not checked`));

  if (!existsSync(collectorConfig)) results.push(skip("otelcol validate", `${collectorConfig}: not found`));
  else if (!options.collectorBinary || !existsSync(options.collectorBinary))
    results.push(skip("otelcol validate", `collector binary ${options.collectorBinary ?? "(none)"} not found; run \`bash tools/install.sh\``));
  else results.push(await collectorValidate(options.collectorBinary, collectorConfig));

  const { expositions, errors, source } = await gatherExpositions(options);
  results.push(...errors);
  if (!source)
    results.push(skip("metrics exposed", "no target to compare with: start a stack (`slo-harness up`), or pass --target job=URL or --metrics-file job=FILE"));
  else results.push(...checkMetricsExposed(parsed, expositions, jobs));
  return results;
}
