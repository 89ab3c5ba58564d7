import { readFileSync } from "node:fs";
import YAML, { isMap, isScalar, isSeq, type YAMLMap } from "yaml";
import { compressExpr, durationLiterals, scaleDurationMs, scaleNumberLiterals } from "./promql-durations.js";
import { parsePromql } from "./utils/promql-tree.js";
import { formatPromDuration, parsePromDuration } from "./utils/prom-duration.js";
import { GENERATED_HEADER, parseRuleFile } from "./utils/rule-file.js";

/** The label every compressed alert carries, so Alertmanager payloads and reports show the factor. */
export const COMPRESSION_LABEL = "slo_harness_compression_factor";

/** Sloth's convention for the SLO period in a rule file: `slo:time_period:days` = vector(30). */
const PERIOD_RECORD = /:time_period:(days|hours)$/;

export interface CompressedRules {
  text: string;
  factor: number;
  /** Things a reader should know, e.g. PromQL inside annotation templates that was left alone. */
  warnings: string[];
}

function setScalar(map: YAMLMap, key: string, value: string): void {
  const node = map.get(key, true);
  if (isScalar(node)) node.value = value;
  else map.set(key, value);
}

function scaleDurationField(map: YAMLMap, key: string, factor: number, where: string): void {
  const value = map.get(key);
  if (value === undefined) return;
  const ms = parsePromDuration(String(value));
  if (ms === 0) return;
  setScalar(map, key, formatPromDuration(scaleDurationMs(ms, factor, `${where}.${key}`)));
}

/**
 * Rewrites a rule file for time compression: every range, subquery, offset, `for`,
 * `keep_firing_for`, group `interval` and the SLO period are divided by the factor, so
 * a burn alert that takes an hour to fire takes a minute. PromQL is rewritten through its
 * syntax tree; comments and layout of the YAML survive.
 */
export interface CompressOptions {
  /** Scrape interval of the Prometheus that will load the copy: ranges shorter than two scrapes are flagged. */
  scrapeIntervalMs?: number;
  /** Ranges are not compressed below this (e.g. four scrapes); each clamp is reported as a warning. */
  minRangeMs?: number;
}

/** rate() over a range holding fewer than two samples returns nothing, so the rule goes silent. */
function shortRangeWarnings(expr: string, scrapeIntervalMs: number, where: string): string[] {
  const short = durationLiterals(parsePromql(expr)).filter((d) => (d.role === "range" || d.role === "subquery-range") && d.ms < 2 * scrapeIntervalMs);
  return [...new Set(short.map((d) => d.ms))].map(
    (ms) =>
      `${where}.expr: range [${formatPromDuration(ms)}] holds fewer than two scrapes at ${formatPromDuration(scrapeIntervalMs)}; use a smaller factor or scrape more often`,
  );
}

export function compressRuleText(text: string, factor: number, file: string, options: CompressOptions = {}): CompressedRules {
  if (!(factor >= 1) || !Number.isFinite(factor)) throw new Error(`${file}: compression factor must be a number >= 1, got ${factor}`);
  parseRuleFile(text, file);
  const doc = YAML.parseDocument(text);
  const warnings: string[] = [];
  const groups = doc.get("groups");
  if (!isSeq(groups)) throw new Error(`${file}: groups: expected a list of rule groups`);
  groups.items.forEach((group, gi) => {
    if (!isMap(group)) return;
    const gWhere = `${file}: groups[${gi}]`;
    scaleDurationField(group, "interval", factor, gWhere);
    const rules = group.get("rules");
    if (!isSeq(rules)) return;
    rules.items.forEach((rule, ri) => {
      if (!isMap(rule)) return;
      const where = `${gWhere}.rules[${ri}]`;
      const expr = String(rule.get("expr"));
      const record = rule.get("record");
      try {
        let rewritten = compressExpr(expr, factor, options.minRangeMs);
        if (options.minRangeMs && rewritten !== compressExpr(expr, factor)) {
          warnings.push(
            `${where}.expr: ranges shorter than ${formatPromDuration(options.minRangeMs)} after compression were kept at ${formatPromDuration(options.minRangeMs)}, so the rule still has samples to work on`,
          );
        }
        if (typeof record === "string" && PERIOD_RECORD.test(record)) rewritten = scaleNumberLiterals(rewritten, factor);
        setScalar(rule, "expr", rewritten);
        if (options.scrapeIntervalMs) warnings.push(...shortRangeWarnings(rewritten, options.scrapeIntervalMs, where));
      } catch (err) {
        throw new Error(`${where}.expr: ${(err as Error).message}`);
      }
      scaleDurationField(rule, "for", factor, where);
      scaleDurationField(rule, "keep_firing_for", factor, where);
      if (rule.get("alert") !== undefined) {
        rule.setIn(["labels", COMPRESSION_LABEL], String(factor));
        const annotations = rule.get("annotations");
        if (isMap(annotations)) {
          for (const pair of annotations.items) {
            const value = String(isScalar(pair.value) ? pair.value.value : "");
            // Template PromQL is not parsed here; ranges in it keep their real length.
            if (value.includes("query") && value.includes("["))
              warnings.push(`${where}.annotations.${String(pair.key)}: PromQL inside the template was not compressed`);
          }
        }
      }
    });
  });
  const header = `${GENERATED_HEADER}\n# time-compressed copy of ${file}: every range, subquery, offset, for and the SLO period divided by ${factor}\n`;
  return { text: header + doc.toString({ lineWidth: 0 }), factor, warnings };
}

export function compressRuleFile(file: string, factor: number, options: CompressOptions = {}): CompressedRules {
  return compressRuleText(readFileSync(file, "utf8"), factor, file, options);
}

/** What the report says about a run's rule files: compressed or not, and by how much. */
export function describeRuleFiles(files: string[]): { compressed: boolean; factor: number; files: string[] } {
  let factor = 1;
  for (const file of files) {
    for (const group of parseRuleFile(readFileSync(file, "utf8"), file).groups) {
      for (const rule of group.rules) {
        const f = Number(rule.labels?.[COMPRESSION_LABEL] ?? 1);
        if (f !== 1 && factor !== 1 && f !== factor)
          throw new Error(`${file}: alert ${rule.alert} is compressed by ${f}, other rules by ${factor}; compress every rule file of a run by the same factor`);
        if (f !== 1) factor = f;
      }
    }
  }
  return { compressed: factor !== 1, factor, files };
}
