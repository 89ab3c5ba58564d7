import type { SloDefinition } from "./slo-definition.js";
import { sliSelectors } from "./sli-selectors.js";
import type { LabelMatcher, VectorSelectorInfo } from "./utils/promql-tree.js";

/**
 * Concrete series that make an SLO's queries see a chosen error ratio: which counter
 * counts bad events, which counts good or all events. Derived from the SLI's selectors so
 * backtests feed the rules exactly what the real exporter would.
 */
export interface SeriesModel {
  /** Series counting bad events. */
  bad?: SeriesSpec;
  /** Series counting good events. */
  good?: SeriesSpec;
  /** Series counting all events (when good and bad live in different metrics). */
  total?: SeriesSpec;
}

export interface SeriesSpec {
  metric: string;
  labels: Record<string, string>;
}

function matches(m: LabelMatcher, value: string): boolean {
  // PromQL regexes are anchored RE2; JavaScript's syntax agrees on the simple patterns rules use.
  const re = () => new RegExp(`^(?:${m.value})$`);
  switch (m.op) {
    case "=":
      return value === m.value;
    case "!=":
      return value !== m.value;
    case "=~":
      return re().test(value);
    case "!~":
      return !re().test(value);
  }
}

function candidates(matchers: LabelMatcher[]): string[] {
  const out = new Set<string>();
  for (const m of matchers) {
    // Realistic values first ("500" for 5..), the pattern's own text last.
    for (const alt of m.value.replace(/^\(|\)$/g, "").split("|")) out.add(alt.replace(/\./g, "0").replace(/[\\^$()[\]*+?{}]/g, ""));
  }
  for (const v of ["200", "500", "503", "404", "0", "1", "GET", "other", ""]) out.add(v);
  for (const m of matchers) out.add(m.value);
  return [...out];
}

/** A value satisfying every `must` matcher and failing the `mustNot` one, if any. */
function valueFor(must: LabelMatcher[], mustNot?: LabelMatcher): string | undefined {
  return candidates(mustNot ? [...must, mustNot] : must).find((v) => must.every((m) => matches(m, v)) && (!mustNot || !matches(mustNot, v)));
}

function labelsFor(selectors: VectorSelectorInfo[], violate?: VectorSelectorInfo): Record<string, string> | undefined {
  const all = selectors.flatMap((s) => s.matchers);
  const names = new Set([...all.map((m) => m.name), ...(violate?.matchers.map((m) => m.name) ?? [])]);
  const attempts = violate ? violate.matchers : [undefined];
  for (const broken of attempts) {
    const labels: Record<string, string> = {};
    let ok = true;
    for (const name of names) {
      const value = valueFor(
        all.filter((m) => m.name === name),
        broken?.name === name ? broken : undefined,
      );
      if (value === undefined) ok = false;
      // An empty value is the same as the label being absent.
      else if (value !== "") labels[name] = value;
    }
    if (ok) return labels;
  }
  return undefined;
}

function single(query: string, where: string): VectorSelectorInfo {
  const selectors = sliSelectors(query, where);
  if (selectors.length !== 1 || !selectors[0]!.metric)
    throw new Error(`${where}: a backtest needs exactly one named metric selector in the query, found ${selectors.length}: ${query.trim()}`);
  return selectors[0]!;
}

export function seriesModel(slo: SloDefinition): SeriesModel {
  const where = (q: string) => `${slo.source}: ${slo.name}: ${q} query`;
  const total = single(slo.sli.totalQuery, where("total"));
  const badQuery = slo.sli.kind === "ratio" ? slo.sli.badQuery : undefined;
  const part = badQuery ? single(badQuery, where("bad")) : single(slo.sli.goodQuery!, where("good"));
  const fail = (what: string) =>
    new Error(`${where(badQuery ? "bad" : "good")}: cannot make up ${what} labels that its selector and the total's agree on; simplify the matchers`);
  if (part.metric !== total.metric) {
    const partLabels = labelsFor([part]);
    const totalLabels = labelsFor([total]);
    if (!partLabels || !totalLabels) throw fail("series");
    const partSpec = { metric: part.metric, labels: partLabels };
    return badQuery
      ? { bad: partSpec, total: { metric: total.metric, labels: totalLabels } }
      : { good: partSpec, total: { metric: total.metric, labels: totalLabels } };
  }
  const inside = labelsFor([part, total]);
  const outside = labelsFor([total], part);
  if (!inside || !outside) throw fail(inside ? "the other events'" : "these events'");
  return badQuery
    ? { bad: { metric: part.metric, labels: inside }, good: { metric: part.metric, labels: outside } }
    : { good: { metric: part.metric, labels: inside }, bad: { metric: part.metric, labels: outside } };
}
