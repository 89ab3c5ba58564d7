import type { PrometheusClient, PromRule } from "../clients/index.js";
import type { AlertBackends, AlertTarget } from "./alert-backends.js";
import { formatValue } from "../utils/comparator.js";
import { formatLabels, promMatchers } from "../utils/labels.js";
import { withoutComparison } from "../utils/promql-selectors.js";
import { similarNames } from "../../core/similar-names.js";
import { humanMs } from "../utils/times.js";
import { diagnosisOf, offset, type Diagnosis, type Hop, type PathContext } from "./diagnosis.js";
import { diagnoseMetric } from "./metric-path.js";
import { presenceOf } from "./series-presence.js";
import { alertmanagerHops } from "./alertmanager-hops.js";

export type { AlertBackends, AlertTarget } from "./alert-backends.js";

/**
 * Where an alert stopped on its way to a human: the rule (loaded, evaluating), its expression
 * (did it ever hold, and if not, what its values were against the threshold), pending, firing
 * (a `for` that outlasts the deadline), then Alertmanager (held, silenced, inhibited), the route
 * it took (a receiver with no integration, a group_wait past the deadline) and the webhook.
 */
export async function diagnoseAlert(backends: AlertBackends, alert: AlertTarget, ctx: PathContext): Promise<Diagnosis> {
  const { prometheus } = backends;
  const hops: Hop[] = [];
  const groups = await prometheus.ruleGroups();
  const rules = groups.flatMap((g) =>
    g.rules
      .filter((r) => r.type === "alerting" && r.name === alert.name && agrees(r.labels ?? {}, alert.labels))
      .map((r) => ({ ...r, group: g.name, interval: g.interval })),
  );
  const ruleHop = `alerting rule ${alert.name}`;
  if (rules.length === 0) {
    const names = groups.flatMap((g) => g.rules.filter((r) => r.type === "alerting").map((r) => r.name));
    const near = similarNames(alert.name, names);
    hops.push({
      hop: ruleHop,
      status: "stopped",
      detail: `no alerting rule named ${alert.name}${Object.keys(alert.labels).length ? ` with labels ${formatLabels(alert.labels)}` : ""} is loaded in Prometheus (${names.length} alerting rules loaded${near.length ? `; similar: ${near.join(", ")}` : ""})`,
    });
    return diagnosisOf(hops, false);
  }
  const rule = rules[0]!;
  if (rule.health === "err") {
    hops.push({ hop: ruleHop, status: "stopped", detail: `fails to evaluate: ${rule.lastError ?? "unknown error"}` });
    return diagnosisOf(hops, false);
  }
  hops.push({
    hop: ruleHop,
    status: "reached",
    detail: `loaded in group ${rule.group}, evaluated every ${rule.interval}s, for: ${humanMs((rule.duration ?? 0) * 1000)}, labels ${formatLabels(rule.labels ?? {})}`,
  });

  if (alert.state === "resolved") {
    const everActive = await presenceOf(prometheus, `ALERTS{${promMatchers({ alertname: alert.name, ...alert.labels })}}`, ctx.origin, ctx.to);
    if (!everActive.firstAt) {
      // Nothing to resolve: why it never fired is where the signal was lost.
      const never = await diagnoseAlert(backends, { ...alert, state: "firing" }, { ...ctx, from: ctx.origin });
      const detail = `never pending or firing between ${offset(ctx.origin, ctx.origin)} and ${offset(ctx.to, ctx.origin)}: an alert that never fired cannot resolve`;
      return diagnosisOf([...never.hops, { hop: "alert resolved", status: "stopped", detail }], false);
    }
  }
  const held = await presenceOf(prometheus, rule.query, ctx.from, ctx.to);
  if (alert.state === "resolved") return diagnosisOf([...hops, ...(await resolvedHops(prometheus, alert, rule, held.lastAt, ctx))], true);
  if (!held.firstAt) {
    hops.push(...(await expressionNeverHeld(prometheus, rule, ctx)));
    return diagnosisOf(hops, false);
  }
  hops.push({ hop: "alert expression", status: "reached", detail: `${rule.query} held from ${offset(held.firstAt, ctx.origin)}` });

  const selector = (state: string) => `ALERTS{${promMatchers({ alertname: alert.name, ...alert.labels, alertstate: state })}}`;
  const [pending, firing] = await Promise.all([
    presenceOf(prometheus, selector("pending"), ctx.from, ctx.to),
    presenceOf(prometheus, selector("firing"), ctx.from, ctx.to),
  ]);
  const forMs = (rule.duration ?? 0) * 1000;
  if (pending.firstAt) hops.push({ hop: "pending", status: "reached", detail: `pending from ${offset(pending.firstAt, ctx.origin)}` });
  if (!firing.firstAt) {
    const since = pending.firstAt ?? held.firstAt;
    const earliest = new Date(since.getTime() + forMs);
    const detail =
      earliest.getTime() > ctx.to.getTime()
        ? `never firing by ${offset(ctx.to, ctx.origin)}: pending from ${offset(since, ctx.origin)} and \`for: ${humanMs(forMs)}\` keeps it pending until ${offset(earliest, ctx.origin)} at the earliest, after the deadline`
        : `never firing by ${offset(ctx.to, ctx.origin)}: the expression did not hold for the whole \`for: ${humanMs(forMs)}\` (pending stretches were cut short)`;
    hops.push({ hop: "firing", status: "stopped", detail });
    return diagnosisOf(hops, false);
  }
  hops.push({ hop: "firing", status: "reached", detail: `firing in Prometheus from ${offset(firing.firstAt, ctx.origin)}`, at: firing.firstAt });
  if (alert.state === "firing") return diagnosisOf(hops, true);
  hops.push(...(await alertmanagerHops(backends, alert, firing.firstAt, ctx)));
  return diagnosisOf(hops, true);
}

/** A rule's static labels do not contradict the expectation's (the others come from the series it evaluates). */
function agrees(ruleLabels: Record<string, string>, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([k, v]) => ruleLabels[k] === undefined || ruleLabels[k] === v || ruleLabels[k]!.includes("{{"));
}

/** The rule's expression never returned a series: show its left side against the threshold, or why that side had no data. */
async function expressionNeverHeld(prometheus: PrometheusClient, rule: PromRule, ctx: PathContext): Promise<Hop[]> {
  const { lhs, op, value } = withoutComparison(rule.query);
  const window = `between ${offset(ctx.from, ctx.origin)} and ${offset(ctx.to, ctx.origin)}`;
  if (op === undefined) {
    const inputs = await diagnoseMetric(prometheus, { query: rule.query }, ctx);
    return [
      ...inputs.hops.filter((h) => !h.hop.startsWith("query ")),
      { hop: "alert expression", status: "stopped", detail: `${rule.query} never returned a series ${window}` },
    ];
  }
  const side = await presenceOf(prometheus, lhs, ctx.from, ctx.to);
  if (side.presentSteps > 0 && side.min === undefined) {
    return [
      {
        hop: "alert expression",
        status: "stopped",
        detail: `${rule.query} never held ${window}: ${lhs} was NaN throughout (a ratio of nothing to nothing: no traffic reached it)`,
      },
    ];
  }
  if (side.min === undefined) {
    const inputs = await diagnoseMetric(prometheus, { query: lhs }, ctx);
    return [...inputs.hops, { hop: "alert expression", status: "stopped", detail: `${rule.query} never held ${window}: ${lhs} had no data` }];
  }
  return [
    {
      hop: "alert expression",
      status: "stopped",
      detail: `${rule.query} never held ${window}: ${lhs} ranged ${formatValue(side.min)}..${formatValue(side.max!)} (max at ${offset(side.maxAt!, ctx.origin)}) against ${op} ${value}`,
    },
  ];
}

async function resolvedHops(prometheus: PrometheusClient, alert: AlertTarget, rule: PromRule, heldUntil: Date | undefined, ctx: PathContext): Promise<Hop[]> {
  const stillHolds = heldUntil && ctx.to.getTime() - heldUntil.getTime() < 15_000;
  if (stillHolds) {
    const { lhs } = withoutComparison(rule.query);
    const latest = (await prometheus.query(lhs, ctx.to)).map((s) => formatValue(s.value)).join(", ");
    return [
      {
        hop: "alert expression",
        status: "stopped",
        detail: `${rule.query} still held at ${offset(ctx.to, ctx.origin)} (${lhs} = ${latest || "no data"}), so the alert could not resolve`,
      },
    ];
  }
  const firing = await presenceOf(prometheus, `ALERTS{${promMatchers({ alertname: alert.name, ...alert.labels })}}`, ctx.from, ctx.to);
  return [
    {
      hop: "alert expression",
      status: "reached",
      detail: heldUntil ? `stopped holding at ${offset(heldUntil, ctx.origin)}` : "did not hold during the window",
    },
    {
      hop: "alert resolved",
      status: "stopped",
      detail: `still pending or firing at ${offset(firing.lastAt ?? ctx.to, ctx.origin)}, after its expression stopped holding`,
    },
  ];
}
