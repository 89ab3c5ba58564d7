import { fail, pass, warn, type CheckResult } from "./check-result.js";
import { parsePromql, vectorSelectors, type LabelMatcher } from "../utils/promql-tree.js";
import type { RuleFile } from "../utils/rule-file.js";

/** What one scrape target exposes: series names and their labels, from the text exposition format. */
export interface Exposition {
  job: string;
  source: string;
  series: { name: string; labels: Record<string, string> }[];
}

export function parseExposition(job: string, source: string, text: string): Exposition {
  const series: Exposition["series"] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    series.push({ name: m[1]!, labels });
  }
  return { job, source, series };
}

function matches(m: LabelMatcher, value: string | undefined): boolean {
  const v = value ?? "";
  if (m.op === "=") return v === m.value;
  if (m.op === "!=") return v !== m.value;
  const re = new RegExp(`^(?:${m.value})$`);
  return m.op === "=~" ? re.test(v) : !re.test(v);
}

/** Series Prometheus makes itself, which no target exposes. */
const SYNTHETIC = new Set([
  "ALERTS",
  "ALERTS_FOR_STATE",
  "up",
  "scrape_duration_seconds",
  "scrape_samples_scraped",
  "scrape_samples_post_metric_relabeling",
  "scrape_series_added",
]);

/**
 * Every metric a rule reads must be exposed by the target its job matcher names (or by
 * any target without one); recording rules count as exposed. A name that exists with no
 * series matching the rule's labels is a warning: such series often appear only with traffic.
 * One result per metric, naming the rules that use it.
 */
export function checkMetricsExposed(ruleFiles: { file: string; rules: RuleFile }[], expositions: Exposition[], jobs: string[]): CheckResult[] {
  const recorded = new Set(ruleFiles.flatMap(({ rules }) => rules.groups.flatMap((g) => g.rules.map((r) => r.record).filter((n): n is string => Boolean(n)))));
  const uses = new Map<string, { where: string; matchers: LabelMatcher[] }[]>();
  for (const { file, rules } of ruleFiles) {
    rules.groups.forEach((g, gi) =>
      g.rules.forEach((r, ri) => {
        for (const sel of vectorSelectors(parsePromql(r.expr))) {
          if (!sel.metric || recorded.has(sel.metric) || SYNTHETIC.has(sel.metric)) continue;
          uses.set(sel.metric, [
            ...(uses.get(sel.metric) ?? []),
            { where: `${file}: groups[${gi}].rules[${ri}] (${r.alert ?? r.record})`, matchers: sel.matchers },
          ]);
        }
      }),
    );
  }
  const results: CheckResult[] = [];
  for (const [metric, list] of uses) {
    const check = `metric ${metric}`;
    const problems: string[] = [];
    const unmatched = new Set<string>();
    const exposedBy = new Set<string>();
    let series = 0;
    for (const use of list) {
      const jobMatcher = use.matchers.find((m) => m.name === "job");
      const known = jobs.filter((j) => !jobMatcher || matches(jobMatcher, j));
      if (jobMatcher && known.length === 0) {
        problems.push(`${use.where}: job${jobMatcher.op}"${jobMatcher.value}" names no scrape job of prometheus.yml (${jobs.join(", ")})`);
        continue;
      }
      const targets = expositions.filter((e) => known.includes(e.job));
      if (targets.length === 0) continue;
      const named = targets.flatMap((t) => t.series.filter((s) => s.name === metric).map((s) => ({ ...s, job: t.job })));
      if (named.length === 0) {
        problems.push(
          `${use.where}: not exposed by ${targets.map((t) => `${t.job} (${t.source})`).join(", ")}; check the name (counters end in _total, histograms expose _bucket, _count and _sum)`,
        );
        continue;
      }
      named.forEach((s) => exposedBy.add(s.job));
      const labelled = named.filter((s) => use.matchers.every((m) => m.name === "job" || matches(m, s.labels[m.name])));
      if (labelled.length === 0) unmatched.add(use.matchers.map((m) => `${m.name}${m.op}"${m.value}"`).join(", "));
      series = Math.max(series, labelled.length);
    }
    if (problems.length) results.push(fail(check, problems.join("\n")));
    else if (unmatched.size)
      results.push(
        warn(
          check,
          `exposed by ${[...exposedBy].join(", ")}, but no series matches {${[...unmatched].join("} or {")}} yet (such series often appear only once traffic or errors occur); used by ${list.length} rule selectors`,
        ),
      );
    else if (exposedBy.size)
      results.push(pass(check, `exposed by ${[...exposedBy].join(", ")}, up to ${series} matching series; used by ${list.length} rule selectors`));
  }
  return results;
}
