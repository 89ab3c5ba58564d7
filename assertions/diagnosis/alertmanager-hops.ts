import { firingNotification } from "../alert-notifications.js";
import { formatValue } from "../utils/comparator.js";
import { formatLabels, promMatchers } from "../utils/labels.js";
import { humanMs } from "../utils/times.js";
import type { AlertBackends, AlertTarget } from "./alert-backends.js";
import { describeRoute, matchRoutes } from "./alertmanager-routes.js";
import { offset, type Hop, type PathContext } from "./diagnosis.js";

/**
 * The alert fired in Prometheus at `firedAt`; these are the hops from there to a human: sent to
 * Alertmanager, held there (silenced or inhibited?), the route it takes (does its receiver tell
 * anyone, and does group_wait let the page out before the deadline?), delivery, the webhook.
 */
export async function alertmanagerHops(backends: AlertBackends, alert: AlertTarget, firedAt: Date, ctx: PathContext): Promise<Hop[]> {
  const { prometheus, alertmanager, receiver } = backends;
  const windowS = Math.max(1, Math.ceil((ctx.to.getTime() - ctx.from.getTime()) / 1000));
  const hops: Hop[] = [];
  const [discovered, sendFailures] = await Promise.all([
    prometheus.query("max(prometheus_notifications_alertmanagers_discovered)", ctx.to),
    prometheus.query(
      `sum(increase(prometheus_notifications_errors_total[${windowS}s])) + sum(increase(prometheus_notifications_dropped_total[${windowS}s])) > 0`,
      ctx.to,
    ),
  ]);
  if (discovered[0] && discovered[0].value < 1)
    return [{ hop: "Prometheus → Alertmanager", status: "stopped", detail: "Prometheus has discovered no Alertmanager to send alerts to" }];
  if (sendFailures[0])
    return [
      {
        hop: "Prometheus → Alertmanager",
        status: "stopped",
        detail: `Prometheus failed to send or dropped ${formatValue(sendFailures[0].value)} alert notifications during the window`,
      },
    ];
  hops.push({
    hop: "Prometheus → Alertmanager",
    status: "reached",
    detail: `sent to ${discovered[0] ? formatValue(discovered[0].value) : "its"} Alertmanager(s)`,
  });

  const matchers = { alertname: alert.name, ...alert.labels };
  const held = (await alertmanager.alerts(matchers)).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const first = held[0];
  if (first?.status.state === "suppressed") {
    const silences = first.status.silencedBy.length ? await alertmanager.silences() : [];
    const why = first.status.silencedBy.length
      ? `silenced by ${first.status.silencedBy
          .map((id) => {
            const s = silences.find((x) => x.id === id);
            return s ? `${id} ("${s.comment}" by ${s.createdBy})` : id;
          })
          .join(", ")}`
      : `inhibited by alert(s) ${first.status.inhibitedBy.join(", ")} (inhibit_rules)`;
    return [
      ...hops,
      { hop: "Alertmanager", status: "stopped", detail: `holds it since ${offset(new Date(first.startsAt), ctx.origin)} but ${why}, so it is not sent` },
    ];
  }
  if (first)
    hops.push({
      hop: "Alertmanager",
      status: "reached",
      detail: `active in Alertmanager since ${offset(new Date(first.startsAt), ctx.origin)}, for receiver(s) ${first.receivers.map((r) => r.name).join(", ") || "none"}`,
    });
  else {
    const stillFiring = (await prometheus.query(`ALERTS{${promMatchers({ ...matchers, alertstate: "firing" })}}`)).length > 0;
    if (stillFiring) {
      // Prometheus drops what it cannot deliver (no Alertmanager yet, e.g. just after a reload) and re-sends only after --rules.alert.resend-delay.
      return [
        ...hops,
        {
          hop: "Alertmanager",
          status: "stopped",
          detail:
            "Prometheus fires it, but Alertmanager holds no such alert: Prometheus has not delivered it (dropped, or not re-sent yet: it re-sends every --rules.alert.resend-delay, 1m by default)",
        },
      ];
    }
    hops.push({ hop: "Alertmanager", status: "unknown", detail: "holds no such alert now (it has resolved since)" });
  }

  const labels = first?.labels ?? (await firingLabels(backends, matchers, windowS, ctx)) ?? matchers;
  const routes = matchRoutes(await alertmanager.configYaml(), labels);
  const live = routes.filter((r) => r.integrations.length > 0);
  if (live.length === 0) {
    const route = routes[0];
    return [
      ...hops,
      {
        hop: "Alertmanager route",
        status: "stopped",
        detail: `${formatLabels(labels)} matches ${route ? describeRoute(route) : "no route"}: a receiver with no integration, so nobody is told`,
      },
    ];
  }
  const route = live[0]!;
  const due = new Date(firedAt.getTime() + route.groupWaitMs);
  if (due.getTime() > ctx.to.getTime()) {
    return [
      ...hops,
      {
        hop: "Alertmanager grouping",
        status: "stopped",
        detail: `Alertmanager held it: ${describeRoute(route)}; first notification due at ${offset(due, ctx.origin)}, after the deadline ${offset(ctx.to, ctx.origin)}`,
      },
    ];
  }
  hops.push({ hop: "Alertmanager route", status: "reached", detail: `${describeRoute(route)}; first notification due at ${offset(due, ctx.origin)}` });

  const failed = await prometheus.query(`sum by (integration) (increase(alertmanager_notifications_failed_total[${windowS}s])) > 0`, ctx.to);
  if (failed.length)
    return [
      ...hops,
      {
        hop: "notification delivery",
        status: "stopped",
        detail: `Alertmanager failed ${failed.map((f) => `${formatValue(f.value)} ${f.metric.integration ?? ""} notifications`).join(", ")} during the window`,
      },
    ];

  const page = firingNotification(await receiver.notifications(), matchers, ctx.from);
  if (!page)
    return [
      ...hops,
      {
        hop: "webhook receiver",
        status: "stopped",
        detail: `no notification for it reached the harness's receiver by ${offset(ctx.to, ctx.origin)} (receiver ${route.receiver})`,
      },
    ];
  const late = page.receivedAt.getTime() > ctx.to.getTime();
  return [
    ...hops,
    {
      hop: "webhook receiver",
      status: late ? "stopped" : "reached",
      detail: `paged at ${offset(page.receivedAt, ctx.origin)}${late ? `, ${humanMs(page.receivedAt.getTime() - ctx.to.getTime())} after the deadline` : ""}`,
      at: page.receivedAt,
    },
  ];
}

/** The labels the alert fired with, from Prometheus' ALERTS series, when Alertmanager no longer lists it. */
async function firingLabels(
  backends: AlertBackends,
  matchers: Record<string, string>,
  windowS: number,
  ctx: PathContext,
): Promise<Record<string, string> | undefined> {
  const series = await backends.prometheus.query(`last_over_time(ALERTS{${promMatchers({ ...matchers, alertstate: "firing" })}}[${windowS}s])`, ctx.to);
  const labels = series[0]?.metric;
  if (!labels) return undefined;
  const { alertstate: _state, __name__: _name, ...rest } = labels;
  return rest;
}
