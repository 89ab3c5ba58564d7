import { QueryError } from "./utils/errors.js";

/**
 * LogQL's common subset (a stream selector and line filters) as LogsQL, so an experiment written
 * for Loki runs against VictoriaLogs. Anything else (parsers, label filters, metric queries) is
 * refused with the construct named: a silently different query would be a wrong verdict.
 */
export function logqlToLogsql(logql: string): string {
  let rest = logql.trim();
  const selector = /^\{([^}]*)\}/.exec(rest);
  if (!selector) throw new QueryError(`LogQL "${logql}": expected a stream selector like {service_name="checkout-api"} first`);
  const filters: string[] = [];
  rest = rest.slice(selector[0].length);
  let matcherText = selector[1]!.trim();
  while (matcherText) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|`[^`]*`)\s*,?\s*/.exec(matcherText);
    if (!m) throw new QueryError(`LogQL "${logql}": cannot read the label matcher at "${matcherText}"`);
    filters.push(labelFilter(m[1]!, m[2]!, unquote(m[3]!)));
    matcherText = matcherText.slice(m[0].length);
  }
  for (;;) {
    rest = rest.trimStart();
    if (!rest) break;
    const f = /^(\|=|!=|\|~|!~)\s*("(?:[^"\\]|\\.)*"|`[^`]*`)/.exec(rest);
    if (!f)
      throw new QueryError(
        `LogQL "${logql}": "${rest.slice(0, 30)}" has no automatic LogsQL translation (only a stream selector and line filters |=, !=, |~, !~ do); write the query in LogsQL`,
      );
    const text = unquote(f[2]!);
    const regex = f[1] === "|=" || f[1] === "!=" ? escapeRegex(text) : text;
    filters.push(`${f[1]!.startsWith("!") ? "-" : ""}_msg:~${JSON.stringify(regex)}`);
    rest = rest.slice(f[0].length);
  }
  return filters.join(" ");
}

/** Loki's OTLP ingestion writes `service.name` as `service_name`; VictoriaLogs keeps the dotted name. */
function fieldName(label: string): string {
  if (/^(service|deployment|k8s|host|process|telemetry|container)_/.test(label)) return label.replace(/_/g, ".");
  return label;
}

function labelFilter(label: string, op: string, value: string): string {
  const field = fieldName(label);
  const negated = op.startsWith("!") ? "-" : "";
  // LogQL label regexes are anchored; LogsQL's match anywhere.
  if (op.endsWith("~")) return `${negated}${field}:~${JSON.stringify(`^(?:${value})$`)}`;
  return `${negated}${field}:=${JSON.stringify(value)}`;
}

function unquote(literal: string): string {
  if (literal.startsWith("`")) return literal.slice(1, -1);
  // Go escapes JSON lacks (\x41, \a, ...) are kept as the literal text, backslash included.
  return JSON.parse(literal.replace(/\\(.)/g, (escape, c: string) => ('"\\/bfnrtu'.includes(c) ? escape : `\\\\${c}`))) as string;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
