import YAML from "yaml";
import { humanMs } from "../utils/times.js";
import { parsePromDuration as parseDuration } from "../slo/utils/prom-duration.js";

interface RawRoute {
  receiver?: string;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  matchers?: string[];
  match?: Record<string, string>;
  match_re?: Record<string, string>;
  continue?: boolean;
  routes?: RawRoute[];
  mute_time_intervals?: string[];
  active_time_intervals?: string[];
}

interface RawConfig {
  route?: RawRoute;
  receivers?: ({ name: string } & Record<string, unknown>)[];
  inhibit_rules?: unknown[];
}

/** A route an alert matched, with what it inherited from its parents (Alertmanager's defaults otherwise). */
export interface MatchedRoute {
  /** "root", or "root › routes[0]" and so on. */
  path: string;
  /** The route's own matchers as written, for the evidence. */
  matchers: string[];
  receiver: string;
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  muted: boolean;
  /** The receiver's integrations (webhook, email, ...); none means nobody is told. */
  integrations: string[];
}

interface Matcher {
  label: string;
  test: (value: string) => boolean;
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*|"[^"]+")\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

/** `severity="page"`, `team=~"a|b"`, `x!=y`: Alertmanager's matcher syntax (values quoted or bare). */
function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text);
  if (!m) throw new Error(`Alertmanager matcher "${text}" is not of the form name="value"`);
  const label = m[1]!.replace(/^"|"$/g, "");
  const raw = m[3]!;
  const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  const op = m[2]!;
  if (op === "=" || op === "!=") return { label, test: (v) => (v === value) === (op === "=") };
  const re = new RegExp(`^(?:${value})$`);
  return { label, test: (v) => re.test(v) === (op === "=~") };
}

function matchersOf(route: RawRoute): { matchers: Matcher[]; text: string[] } {
  const text = [
    ...(route.matchers ?? []),
    ...Object.entries(route.match ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
    ...Object.entries(route.match_re ?? {}).map(([k, v]) => `${k}=~${JSON.stringify(v)}`),
  ];
  return { matchers: text.map(parseMatcher), text };
}

function integrationsOf(receiver: Record<string, unknown> | undefined): string[] {
  if (!receiver) return [];
  return Object.entries(receiver)
    .filter(([k, v]) => k.endsWith("_configs") && Array.isArray(v) && v.length > 0)
    .map(([k]) => k.replace(/_configs$/, ""));
}

/**
 * Where Alertmanager sends an alert with these labels, by its own algorithm (dispatch/route.go):
 * depth first, the first matching child wins unless it says `continue`, a route with no matching
 * child takes the alert itself, and unset timings are inherited.
 */
export function matchRoutes(configYaml: string, labels: Record<string, string>): MatchedRoute[] {
  const config = YAML.parse(configYaml) as RawConfig;
  if (!config.route) throw new Error("Alertmanager's configuration has no route");
  const receivers = new Map((config.receivers ?? []).map((r) => [r.name, r]));
  const defaults: Omit<MatchedRoute, "path" | "matchers" | "integrations" | "muted"> = {
    receiver: config.route.receiver ?? "",
    groupBy: [],
    groupWaitMs: 30_000,
    groupIntervalMs: 300_000,
    repeatIntervalMs: 4 * 3_600_000,
  };
  const visit = (route: RawRoute, parent: typeof defaults, path: string): MatchedRoute[] | undefined => {
    const { matchers, text } = matchersOf(route);
    if (!matchers.every((m) => m.test(labels[m.label] ?? ""))) return undefined;
    const own = {
      receiver: route.receiver ?? parent.receiver,
      groupBy: route.group_by ?? parent.groupBy,
      groupWaitMs: route.group_wait ? parseDuration(route.group_wait) : parent.groupWaitMs,
      groupIntervalMs: route.group_interval ? parseDuration(route.group_interval) : parent.groupIntervalMs,
      repeatIntervalMs: route.repeat_interval ? parseDuration(route.repeat_interval) : parent.repeatIntervalMs,
    };
    const all: MatchedRoute[] = [];
    for (const [i, child] of (route.routes ?? []).entries()) {
      const matched = visit(child, own, `${path} › routes[${i}]`);
      if (!matched) continue;
      all.push(...matched);
      if (!child.continue) break;
    }
    if (all.length > 0) return all;
    return [{ ...own, path, matchers: text, muted: (route.mute_time_intervals ?? []).length > 0, integrations: integrationsOf(receivers.get(own.receiver)) }];
  };
  return visit(config.route, defaults, "root") ?? [];
}

/** "route root › routes[0] {severity="page"} → receiver slo-harness (webhook), group_wait 10s" */
export function describeRoute(r: MatchedRoute): string {
  const where = `route ${r.path}${r.matchers.length ? ` {${r.matchers.join(", ")}}` : ""}`;
  const via = r.integrations.length ? r.integrations.join(", ") : "no integrations";
  return `${where} → receiver ${r.receiver} (${via}), group_wait ${humanMs(r.groupWaitMs)}, group_interval ${humanMs(r.groupIntervalMs)}`;
}
