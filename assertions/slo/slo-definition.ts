import type { BurnAlertPolicy } from "./burn-rate-policy.js";

/** One SLO, whatever file it came from: an OpenSLO, Sloth or Pyrra document or an experiment's `slos:` entry. */
export interface SloDefinition {
  name: string;
  service: string;
  description?: string;
  /** As a ratio: 0.99 for "99 %". */
  objective: number;
  /** The SLO period (OpenSLO's rolling time window), e.g. "30d". */
  period: string;
  periodMs: number;
  sli: RatioSli | LatencySli;
  /** Which load-generator outcomes count as bad, client-side. */
  clientErrors: ClientErrorClass;
  /** File (and document) it was read from, for messages. */
  source: string;
  /** The alert name its own file gives (Sloth's and Pyrra's alerting.name), kept so the rules fire under it. */
  alertName?: string;
  /**
   * Burn-rate windows its own tool would alert on (Sloth's four), so the rules generated here
   * page and ticket as the team's do; without it, the Workbook's.
   */
  alertPolicy?: readonly BurnAlertPolicy[];
}

export type ClientErrorClass = "5xx" | "non-2xx" | "any-failure";

/**
 * Queries take the window where the range goes, as "{{window}}" (or Sloth's "{{.window}}"),
 * and return per-second rates, e.g. `sum(rate(http_requests_total{code=~"5.."}[{{window}}]))`.
 */
export interface RatioSli {
  kind: "ratio";
  badQuery?: string;
  goodQuery?: string;
  totalQuery: string;
}

/** A histogram threshold: good events are those in the bucket `le` = threshold. */
export interface LatencySli {
  kind: "latency";
  goodQuery: string;
  totalQuery: string;
  thresholdSeconds: number;
}

const WINDOW_PLACEHOLDER = /\{\{\s*\.?window\s*\}\}/g;

export function withWindow(query: string, window: string): string {
  return query.replace(WINDOW_PLACEHOLDER, window);
}

export function hasWindowPlaceholder(query: string): boolean {
  return new RegExp(WINDOW_PLACEHOLDER.source).test(query);
}

/**
 * PromQL of the error ratio (bad / total) over one window. A healthy service often has no
 * bad-events series at all (django-prometheus creates the 5xx series at the first 5xx), and
 * bad / total would then be empty instead of 0: "or total * 0" fills it in.
 */
export function errorRatioQuery(slo: SloDefinition, window: string): string {
  const total = `(${withWindow(slo.sli.totalQuery, window).trim()})`;
  const orZero = (part: string) => `(\n  (${withWindow(part, window).trim()})\n  or\n  ${total} * 0\n)`;
  if (slo.sli.kind === "ratio" && slo.sli.badQuery) return `${orZero(slo.sli.badQuery)}\n/\n${total}`;
  const good = slo.sli.kind === "ratio" ? slo.sli.goodQuery! : slo.sli.goodQuery;
  return `1 - (\n${orZero(good)}\n/\n${total}\n)`;
}

/** The error budget as a ratio of events: 0.01 for a 99 % objective, without float noise. */
export function errorBudget(slo: Pick<SloDefinition, "objective">): number {
  return Number((1 - slo.objective).toPrecision(12));
}
