import { ANNOTATION_CLIENT_ERRORS } from "../openslo-schema.js";
import { hasWindowPlaceholder, type ClientErrorClass } from "../slo-definition.js";
import { formatPromDuration, parsePromDuration } from "./prom-duration.js";

/** Fields every SLO format maps the same way, whatever it calls them. */

const CLIENT_ERRORS: ClientErrorClass[] = ["5xx", "non-2xx", "any-failure"];

/** A name that is safe in rule group names and labels, as OpenSLO's RFC 1123 rule asks. */
export const SLO_NAME = /^[a-z0-9][a-z0-9-]*$/;
export const SLO_NAME_MESSAGE = 'expected a kebab-case name like "analysis-availability-99"';

export function requireWindow(query: string, where: string): string {
  if (!hasWindowPlaceholder(query))
    throw new Error(`${where}: the query has no "{{window}}" where its range goes, e.g. rate(x_total[{{window}}]); got ${query.trim()}`);
  return query;
}

export function sloPeriod(text: string, where: string): { period: string; periodMs: number } {
  let periodMs: number;
  try {
    periodMs = parsePromDuration(text);
  } catch {
    throw new Error(`${where}: expected a duration in d, h or w like "30d" or "4w", got "${text}"`);
  }
  if (periodMs <= 0) throw new Error(`${where}: the SLO period must be longer than 0, like "30d"; got "${text}"`);
  return { period: formatPromDuration(periodMs), periodMs };
}

/** Our own annotation, which any format with metadata.annotations may carry. */
export function clientErrorsFrom(annotations: Record<string, string> | undefined, where: string): ClientErrorClass {
  const value = (annotations?.[ANNOTATION_CLIENT_ERRORS] ?? "5xx") as ClientErrorClass;
  if (!CLIENT_ERRORS.includes(value))
    throw new Error(`${where}.annotations.${ANNOTATION_CLIENT_ERRORS}: expected one of ${CLIENT_ERRORS.join(", ")}, got "${value}"`);
  return value;
}
