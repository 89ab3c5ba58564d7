import type { Evidence, Probe, ProbeAnswer, ProbeContext } from "./probe.js";
import type { AlertmanagerAlert } from "./clients/index.js";
import { diagnoseAlert, type AlertBackends } from "./diagnosis/alert-path.js";
import { alertPathAlive } from "./diagnosis/alert-liveness.js";
import type { Diagnosis, PathContext, PathLiveness } from "./diagnosis/diagnosis.js";
import { alertSteps, firstAbsent, firstPresent, presentNow, refineEdge } from "./alert-history.js";
import { firingNotification, resolvedNotification, type NotificationMatch } from "./alert-notifications.js";
import { errorMessage } from "./utils/errors.js";
import { formatLabels, hasLabels } from "./utils/labels.js";
import { humanMs, iso } from "./utils/times.js";
import { z } from "zod";
import { AlertmanagerClient, AlertReceiverClient, PrometheusClient } from "./clients/index.js";
import { probeKind } from "./probe-kind.js";

export interface AlertProbeOptions {
  name: string;
  labels?: Record<string, string>;
  /** firing: Prometheus (or, failing it, Alertmanager) says it fires; notified: the webhook got it; resolved: it cleared. */
  state: "firing" | "notified" | "resolved";
}

export type { AlertBackends } from "./diagnosis/alert-path.js";

type Settled<T> = { ok: true; value: T } | { ok: false; error: string };

async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  }
}

/**
 * An alert by name and labels, read from every place it shows: Prometheus' ALERTS history and
 * alerts API (when it fired), Alertmanager's API v2 (what it holds) and the harness's webhook
 * receiver (when a human would have been paged). First-seen is the firing evaluation, the
 * notification's arrival, or the evaluation at which it cleared.
 */
export class AlertProbe implements Probe {
  readonly signal = "alert" as const;
  readonly visibility = "signal" as const;

  constructor(
    private readonly backends: AlertBackends,
    private readonly options: AlertProbeOptions,
  ) {}

  diagnose(ctx: PathContext): Promise<Diagnosis> {
    return diagnoseAlert(this.backends, { name: this.options.name, labels: this.labels, state: this.options.state }, ctx);
  }

  pathAlive(ctx: PathContext): Promise<PathLiveness> {
    return alertPathAlive(this.backends, { name: this.options.name, labels: this.labels, state: this.options.state }, ctx);
  }

  private get labels(): Record<string, string> {
    return this.options.labels ?? {};
  }

  describe(): string {
    const verb = { firing: "is firing", notified: "paged (webhook notified)", resolved: "has resolved" }[this.options.state];
    return `alert ${this.options.name}${Object.keys(this.labels).length ? formatLabels(this.labels) : ""} ${verb}`;
  }

  async observe(ctx: ProbeContext): Promise<ProbeAnswer> {
    const now = new Date();
    const { prometheus, alertmanager, receiver } = this.backends;
    const sinceS = ctx.since.getTime() / 1000;
    const matchers = { alertname: this.options.name, ...this.labels };
    const [steps, promAlerts, amAlerts, notifications] = await Promise.all([
      settle(
        alertSteps(
          prometheus,
          { name: this.options.name, labels: this.labels, states: this.options.state === "resolved" ? ["pending", "firing"] : ["firing"] },
          ctx.since,
          now,
        ),
      ),
      settle(prometheus.alerts()),
      settle(alertmanager.alerts(matchers)),
      settle(receiver.notifications()),
    ]);
    const query = steps.ok ? steps.value.query : `ALERTS{alertname="${this.options.name}"}`;
    const context = [
      promAlerts.ok ? describePromAlerts(promAlerts.value.filter((a) => hasLabels(a.labels, matchers))) : `Prometheus alerts API: ${promAlerts.error}`,
      amAlerts.ok ? describeAmAlerts(amAlerts.value) : `Alertmanager: ${amAlerts.error}`,
    ];
    const evidence = (result: string, extra: string[] = []): Evidence => ({
      query: `${query}; Alertmanager /api/v2/alerts?filter=alertname="${this.options.name}"; webhook receiver /notifications`,
      result: [result, ...extra, ...context].join("; "),
      url: prometheus.graphUrl(query, now.getTime() / 1000 - sinceS + 60),
    });

    if (this.options.state === "notified") {
      if (!notifications.ok) throw new Error(notifications.error);
      const hit = firingNotification(notifications.value, matchers, ctx.since);
      if (!hit) return this.missed(evidence(`no firing notification received since ${iso(ctx.since)} (${notifications.value.length} in all)`));
      return { seen: { at: hit.receivedAt, evidence: evidence(describeNotification(hit, "paged")) } };
    }

    if (this.options.state === "firing") {
      if (steps.ok) {
        const first = firstPresent(steps.value, sinceS);
        if (!first) return this.missed(evidence(`not firing at any 1 s step since ${iso(ctx.since)}`));
        const edge = first.preexisting ? first.t : await refineEdge(prometheus, steps.value, first.t, true);
        const at = new Date(Math.round(edge * 1000));
        return {
          seen: { at, evidence: evidence(first.preexisting ? `already firing before ${iso(ctx.since)}` : `firing from ${iso(at)} (Prometheus ALERTS)`) },
        };
      }
      // Prometheus is out; Alertmanager's startsAt is the time Prometheus sent as the firing time.
      if (!amAlerts.ok) throw new Error(`${steps.error}; ${amAlerts.error}`);
      const active = amAlerts.value.filter((a) => a.status.state !== "unprocessed").sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0];
      if (!active) return this.missed(evidence(`Prometheus unreachable (${steps.error}) and Alertmanager holds no such alert`));
      return {
        seen: { at: new Date(active.startsAt), evidence: evidence(`Alertmanager: firing since ${active.startsAt} (Prometheus unreachable: ${steps.error})`) },
      };
    }

    const resolvedNote = notifications.ok ? resolvedNotification(notifications.value, matchers, ctx.since) : undefined;
    const webhook = resolvedNote ? [describeNotification(resolvedNote, "resolved notification")] : [];
    if (steps.ok) {
      const clear = firstAbsent(steps.value, sinceS);
      if (!clear) return this.missed(evidence(`still pending or firing at every 1 s step since ${iso(ctx.since)}`, webhook));
      // Clear from the start is only a resolution if it fired earlier in the run; otherwise a blind stack would pass.
      if (!clear.wasPresent && !(await this.firedBefore(ctx))) {
        const runStart = ctx.runStart ?? ctx.since;
        return this.missed(evidence(`never pending or firing since the run started at ${iso(runStart)}: an alert that never fired cannot resolve`, webhook));
      }
      const edge = clear.wasPresent ? await refineEdge(prometheus, steps.value, clear.t, false) : clear.t;
      const at = new Date(Math.round(edge * 1000));
      const how = clear.wasPresent ? `cleared at ${iso(at)} (neither pending nor firing in ALERTS)` : `not pending or firing at ${iso(at)}`;
      const again = presentNow(steps.value) ? "; pending or firing again now" : "";
      return { seen: { at, evidence: evidence(`${how}${again}`, webhook) } };
    }
    if (!resolvedNote) throw new Error(steps.error);
    return {
      seen: {
        at: resolvedNote.endsAt ?? resolvedNote.receivedAt,
        evidence: evidence(`resolved per the webhook (Prometheus unreachable: ${steps.error})`, webhook),
      },
    };
  }

  /** Whether the alert was pending or firing at any step between the run's start and `since`. */
  private async firedBefore(ctx: ProbeContext): Promise<boolean> {
    if (!ctx.runStart || ctx.runStart.getTime() >= ctx.since.getTime()) return false;
    const steps = await alertSteps(
      this.backends.prometheus,
      { name: this.options.name, labels: this.labels, states: ["pending", "firing"] },
      ctx.runStart,
      ctx.since,
    );
    return steps.present.some(Boolean);
  }

  private missed(evidence: Evidence): ProbeAnswer {
    return { miss: evidence };
  }
}

function describePromAlerts(alerts: { state: string; activeAt: string; labels: Record<string, string> }[]): string {
  if (alerts.length === 0) return "Prometheus alerts API: not pending or firing now";
  return `Prometheus alerts API: ${alerts.map((a) => `${a.state} (active since ${a.activeAt})`).join(", ")}`;
}

function describeAmAlerts(alerts: AlertmanagerAlert[]): string {
  if (alerts.length === 0) return "Alertmanager: holds no such alert";
  return `Alertmanager: ${alerts.map((a) => `${a.status.state}, startsAt ${a.startsAt}, endsAt ${a.endsAt}`).join("; ")}`;
}

function describeNotification(hit: NotificationMatch, what: string): string {
  const lag = hit.startsAt ? `, ${humanMs(hit.receivedAt.getTime() - hit.startsAt.getTime())} after it started firing (startsAt ${iso(hit.startsAt)})` : "";
  return `${what} via receiver ${hit.receiver}: webhook received at ${iso(hit.receivedAt)}${lag}, group ${hit.groupKey}`;
}

export const AlertProbeSpec = z.strictObject({
  name: z.string().min(1),
  labels: z.record(z.string(), z.string()).optional(),
  /** firing: Prometheus/Alertmanager say it fires; notified: the webhook receiver got it; resolved: it cleared. */
  state: z.enum(["firing", "notified", "resolved"]).default("firing"),
});

export const alertProbeKind = probeKind({
  key: "alert",
  signal: "alert",
  summary: "an alert firing, paged (webhook receiver) or resolved (Prometheus + Alertmanager)",
  spec: AlertProbeSpec,
  kinds: ["appears", "stays-absent", "resolves"],
  steadyState: true,
  build(spec, { endpoints, kind }) {
    // kind "resolves" and state "resolved" mean the same thing; kind wins over the schema's default state.
    const state = kind === "resolves" ? "resolved" : spec.state;
    const backends = {
      prometheus: new PrometheusClient(endpoints.prometheus, 5000, endpoints.access?.prometheus),
      alertmanager: new AlertmanagerClient(endpoints.alertmanager, 5000, endpoints.access?.alertmanager),
      receiver: new AlertReceiverClient(endpoints.alertReceiver),
    };
    return new AlertProbe(backends, { name: spec.name, ...(spec.labels ? { labels: spec.labels } : {}), state });
  },
});
