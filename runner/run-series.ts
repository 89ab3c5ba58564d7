import { readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { TargetModel } from "../core/target-spec.js";
import type { Endpoints } from "../core/environment.js";
import { PrometheusClient } from "../assertions/clients/prometheus-client.js";
import { AlertReceiverClient } from "../assertions/clients/alert-receiver-client.js";
import type { Report } from "../core/report-schema.js";
import { firingAlertsQuery } from "../assertions/index.js";

/**
 * Server-side series drawn under the load generator's own, keyed by the names the report charts
 * classify: the target's `series:`, or else the recording rules of its own rule files.
 */
export function targetSeries(target: TargetModel): Record<string, string> {
  if (target.series) return target.series;
  const names = new Set<string>();
  for (const file of target.rules) {
    const doc = YAML.parse(readFileSync(path.resolve(target.dir, file), "utf8")) as { groups?: { rules?: { record?: string }[] }[] } | null;
    for (const group of doc?.groups ?? []) for (const rule of group.rules ?? []) if (rule.record) names.add(rule.record);
  }
  return Object.fromEntries([...names].map((n) => [n, n]));
}

function stepFor(start: Date, end: Date): number {
  // Prometheus caps a range query at 11 000 points; 2 000 is plenty for a chart.
  return Math.max(1, Math.ceil((end.getTime() - start.getTime()) / 1000 / 2000));
}

export async function collectSeries(
  endpoints: Endpoints,
  start: Date,
  end: Date,
  wanted: Record<string, string>,
): Promise<{ series: Report["series"]; errors: string[] }> {
  const prometheus = new PrometheusClient(endpoints.prometheus, 5000, endpoints.access?.prometheus);
  const series: Report["series"] = {};
  const errors: string[] = [];
  const step = stepFor(start, end);
  for (const [name, expr] of Object.entries(wanted)) {
    try {
      const result = await prometheus.queryRange(expr, start, end, step);
      if (result[0]) series[name] = result[0].values.filter(([, v]) => Number.isFinite(v));
    } catch (err) {
      errors.push(`series ${name}: ${(err as Error).message}`);
    }
  }
  return { series, errors };
}

/**
 * Alert firing intervals over the run, from Prometheus' ALERTS series, with the moment the
 * webhook receiver got the first firing notification for each (when a human would be paged).
 * Alerts meant to always fire are left out: a Watchdog band across the whole run says nothing.
 */
export async function collectAlerts(
  endpoints: Endpoints,
  start: Date,
  end: Date,
  alwaysFiring: readonly string[],
): Promise<{ alerts: Report["alerts"]; errors: string[] }> {
  const errors: string[] = [];
  const alerts: Report["alerts"] = [];
  const step = stepFor(start, end);
  let notifications: Awaited<ReturnType<AlertReceiverClient["notifications"]>> = [];
  try {
    notifications = await new AlertReceiverClient(endpoints.alertReceiver).notifications();
  } catch (err) {
    errors.push(`alert notifications: ${(err as Error).message}`);
  }
  try {
    const firing = await new PrometheusClient(endpoints.prometheus, 5000, endpoints.access?.prometheus).queryRange(
      firingAlertsQuery(alwaysFiring),
      start,
      end,
      step,
    );
    for (const s of firing) {
      const { __name__: _, alertstate: __, ...labels } = s.metric;
      let open: number | undefined;
      let last = 0;
      const close = (resolvedAt?: number) => {
        if (open === undefined) return;
        const firingAt = new Date(open * 1000);
        const notified = notifications.find(
          (n) =>
            Date.parse(n.receivedAt) >= firingAt.getTime() && n.payload.alerts.some((a) => a.status === "firing" && a.labels.alertname === labels.alertname),
        );
        alerts.push({
          name: labels.alertname ?? "unknown",
          labels,
          firingAt: firingAt.toISOString(),
          ...(resolvedAt !== undefined ? { resolvedAt: new Date(resolvedAt * 1000).toISOString() } : {}),
          ...(notified ? { notifiedAt: notified.receivedAt } : {}),
        });
        open = undefined;
      };
      for (const [t] of s.values) {
        if (open !== undefined && t - last > step) close(last + step);
        if (open === undefined) open = t;
        last = t;
      }
      close(last + step <= end.getTime() / 1000 ? last + step : undefined);
    }
  } catch (err) {
    errors.push(`alert history: ${(err as Error).message}`);
  }
  return { alerts, errors };
}
