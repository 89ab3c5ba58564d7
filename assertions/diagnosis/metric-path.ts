import type { PrometheusClient, PromRule } from "../clients/index.js";
import { compare, formatValue, type Comparator } from "../utils/comparator.js";
import { formatMatchers, vectorSelectors, type LabelMatcher, type VectorSelector } from "../utils/promql-selectors.js";
import { similarNames } from "../../core/similar-names.js";
import { diagnosisOf, offset, type Diagnosis, type Hop, type PathContext } from "./diagnosis.js";
import { presenceOf } from "./series-presence.js";
import { exposesHop, scrapeHop } from "./scrape-hop.js";

export interface MetricCondition {
  query: string;
  op?: string;
  value?: number;
  mode?: "holds" | "clears";
}

type Rules = (PromRule & { group: string })[];

/** Recording rules are followed this deep (rule reading rule reading a scraped metric). */
const MAX_DEPTH = 3;

/**
 * Why a PromQL condition was not seen: with data, which values it had against the threshold;
 * without, which selector has no series, and upstream of it the recording rule that should
 * record it, the scrape job that should feed it, or the label matchers that match nothing.
 */
export async function diagnoseMetric(prometheus: PrometheusClient, condition: MetricCondition, ctx: PathContext): Promise<Diagnosis> {
  const clears = condition.mode === "clears";
  // Whether a condition that should stop holding ever held is a question about the whole run.
  const from = clears ? ctx.origin : ctx.from;
  const data = await presenceOf(prometheus, condition.query, from, ctx.to);
  const rules = (await prometheus.ruleGroups()).flatMap((g) => g.rules.map((r) => ({ ...r, group: g.name })));
  const strict = data.presentSteps === 0;
  // With data, an input whose name exists nowhere (a typo inside a recording rule that `or … * 0`
  // turns into a steady 0) is still the likelier cause than the threshold.
  const upstream = await selectorsHops(prometheus, condition.query, rules, ctx, 0, strict);
  const window = `between ${offset(from, ctx.origin)} and ${offset(ctx.to, ctx.origin)}`;
  if (strict) return diagnosisOf([...upstream, { hop: `query ${condition.query}`, status: "stopped", detail: `no series ${window}` }], false);
  const range = data.min !== undefined ? `min ${formatValue(data.min)}, max ${formatValue(data.max!)} at ${offset(data.maxAt!, ctx.origin)}` : "all NaN";
  const what = condition.op !== undefined ? `${condition.op} ${condition.value}` : "return a sample";
  // min and max settle it for the orderings; == and != are close enough for words in a diagnosis.
  const held = condition.op === undefined || [data.min, data.max].some((v) => v !== undefined && compare(v, condition.op as Comparator, condition.value!));
  const stopped = !clears
    ? `never ${what} ${window} (${range})`
    : held
      ? `still held at every step up to ${offset(ctx.to, ctx.origin)}`
      : `never ${what} ${window} (${range}): a condition that never held cannot stop holding`;
  return diagnosisOf(
    [
      ...upstream,
      { hop: `query ${condition.query}`, status: "reached", detail: `${data.series} series from ${offset(data.firstAt!, ctx.origin)}; ${range}` },
      {
        hop: "condition",
        status: "stopped",
        detail: stopped,
      },
    ],
    true,
  );
}

/** Hops upstream of each selector of `expr`, in path order (upstream first). */
async function selectorsHops(prometheus: PrometheusClient, expr: string, rules: Rules, ctx: PathContext, depth: number, strict: boolean): Promise<Hop[]> {
  const seen = new Set<string>();
  const hops: Hop[] = [];
  for (const selector of vectorSelectors(expr)) {
    if (seen.has(selector.text)) continue;
    seen.add(selector.text);
    hops.push(...(await selectorHops(prometheus, selector, rules, ctx, depth, strict)));
  }
  return hops;
}

/**
 * `strict`: the expression returned nothing, so a selector matching nothing is where it stopped.
 * Otherwise only names that exist nowhere count against it (a 5xx selector is empty until the
 * first error), and recording rules are followed to check their inputs.
 */
async function selectorHops(
  prometheus: PrometheusClient,
  selector: VectorSelector,
  rules: Rules,
  ctx: PathContext,
  depth: number,
  strict: boolean,
): Promise<Hop[]> {
  const windowS = Math.max(1, Math.ceil((ctx.to.getTime() - ctx.from.getTime()) / 1000));
  const count = async (sel: string) => (await prometheus.query(`count(last_over_time(${sel}[${windowS}s]))`, ctx.to))[0]?.value ?? 0;
  const hop = `series ${selector.text}`;
  const found = await count(selector.text);
  const rule = selector.name ? rules.find((r) => r.type === "recording" && r.name === selector.name) : undefined;
  if (found > 0) {
    const inputs = rule && !strict && depth < MAX_DEPTH ? await selectorsHops(prometheus, rule.query, rules, ctx, depth + 1, false) : [];
    return [...inputs, { hop, status: "reached", detail: `${found} series during the window` }];
  }
  if (!selector.name) return [{ hop, status: strict ? "stopped" : "unknown", detail: "no series match these labels during the window" }];
  const name = selector.name;
  const bare = await count(`{__name__=${JSON.stringify(name)}}`);
  if (bare > 0 && selector.matchers.length > 0) {
    const values = async (label: string) =>
      (await prometheus.query(`count by (${label}) (last_over_time({__name__=${JSON.stringify(name)}}[${windowS}s]))`, ctx.to))
        .map((s) => s.metric[label] ?? "")
        .filter(Boolean);
    // The matcher that alone matches nothing is the typo; its label's values say what was meant.
    const alone = await Promise.all(selector.matchers.map(async (m) => ((await count(`${name}${formatMatchers([m])}`)) === 0 ? m : undefined)));
    const culprits = alone.filter((m): m is LabelMatcher => m !== undefined);
    const said = await Promise.all(
      culprits.map(async (m) => {
        const seen = await values(m.label);
        const near = m.op === "=" ? similarNames(m.value, seen, 1)[0] : undefined;
        const text = `${formatMatchers([m]).slice(1, -1)} matches none (${m.label} values: ${seen.slice(0, 8).join(", ") || "(none)"}${near ? `; did you mean ${m.label}="${near}"?` : ""})`;
        return { text, near };
      }),
    );
    // A matcher with a near value is the typo; the others (status=~"5.." before any error) are empty by nature.
    const typos = said.filter((c) => c.near);
    const why = culprits.length
      ? (typos.length ? typos : said).map((c) => c.text)
      : [
          `values seen: ${(await Promise.all(selector.matchers.map(async (m) => `${m.label}: ${(await values(m.label)).slice(0, 8).join(", ") || "(none)"}`))).join("; ")}`,
        ];
    return [
      {
        hop,
        status: strict ? "stopped" : "unknown",
        detail: `${bare} series of ${name} exist, but none match ${formatMatchers(selector.matchers)}: ${why.join("; ")}`,
      },
    ];
  }
  if (rule) {
    const ruleHop = `recording rule ${name} (group ${rule.group})`;
    if (rule.health === "err")
      return [
        { hop: ruleHop, status: "stopped", detail: `fails to evaluate: ${rule.lastError ?? "unknown error"}` },
        { hop, status: "stopped", detail: "not recorded" },
      ];
    const inputs = depth < MAX_DEPTH ? await selectorsHops(prometheus, rule.query, rules, ctx, depth + 1, false) : [];
    const missing = inputs.filter((h) => h.status === "stopped");
    const empty = inputs.filter((h) => h.status === "unknown");
    const fed = inputs.filter((h) => h.status === "reached");
    const evaluated =
      rule.lastEvaluation && !rule.lastEvaluation.startsWith("0001") ? `, last evaluated ${offset(new Date(rule.lastEvaluation), ctx.origin)}` : "";
    return [
      ...inputs,
      {
        hop: ruleHop,
        status: "stopped",
        detail: missing.length
          ? `evaluates without error${evaluated}, but its input has no series, so it records nothing`
          : empty.length && fed.length === 0
            ? `evaluates without error${evaluated}, but ${empty.map((h) => h.hop.replace(/^series /, "")).join(" and ")} match no series, so it records nothing: ${[...new Set(empty.map((h) => h.detail.replace(/^.*?: /, "")))].join("; ")}`
            : `evaluates without error${evaluated}, and its inputs are fed, yet it records nothing (a rate still short of two samples in its range, or a join, filter or comparison that removes every series)`,
      },
      { hop, status: "stopped", detail: "not recorded" },
    ];
  }
  const job = selector.matchers.find((m) => m.label === "job" && m.op === "=")?.value;
  if (job) {
    const scrape = await scrapeHop(prometheus, job, ctx);
    if (scrape.status === "stopped") return [scrape, { hop, status: "stopped", detail: "never scraped" }];
    return [scrape, await exposesHop(prometheus, job, name), { hop, status: "stopped", detail: "no series during the window" }];
  }
  const names = await prometheus.labelValues("__name__");
  const near = similarNames(name, [...names, ...rules.filter((r) => r.type === "recording").map((r) => r.name)]);
  return [
    {
      hop,
      status: "stopped",
      detail: `no series named ${name} in Prometheus, and no recording rule records it${near.length ? `; similar names: ${near.join(", ")}` : ""}`,
    },
  ];
}
