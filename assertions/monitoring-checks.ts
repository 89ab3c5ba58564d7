import type { Evidence } from "./probe.js";
import type { PrometheusClient, PromSample } from "./clients/index.js";
import { formatValue } from "./utils/comparator.js";

export type MonitoringCheck = "targets-up" | "collector-healthy" | "rules-healthy";

/** Something wrong with the monitoring stack, as a `monitoring` expectation reports it. */
export interface MonitoringProblem {
  check: MonitoringCheck | "prometheus";
  message: string;
}

/** env/stack/prometheus.yml scrapes the collector's own telemetry under this job. */
export const COLLECTOR_JOB = "otel-collector-internal";

const FAILURES = "receiver_refused|receiver_failed|exporter_send_failed|exporter_enqueue_failed|processor_refused|processor_dropped";

interface Found {
  problems: MonitoringProblem[];
  evidence: Evidence;
}

function seriesKey(s: PromSample): string {
  return JSON.stringify(Object.entries(s.metric).sort());
}

/**
 * The collector's refused, failed and dropped spans, metric points and log records over the
 * window. Counters are read now and `offset` the window, keeping their names, so a counter that
 * first appeared within the window (its first failure) counts too, which increase() would miss.
 */
export async function collectorProblems(prometheus: PrometheusClient, windowS: number): Promise<Found> {
  const selector = `{job="${COLLECTOR_JOB}", __name__=~"otelcol_(${FAILURES})_(spans|metric_points|log_records)(_total)?"}`;
  const [up, now, before] = await Promise.all([
    prometheus.query(`up{job="${COLLECTOR_JOB}"}`),
    prometheus.query(selector),
    prometheus.query(`${selector} offset ${windowS}s`),
  ]);
  const problems: MonitoringProblem[] = [];
  if (up.length === 0) problems.push({ check: "collector-healthy", message: `Prometheus has no job ${COLLECTOR_JOB}: the collector's health is unknown` });
  else if (up.every((s) => s.value === 0))
    problems.push({
      check: "collector-healthy",
      message: `the collector's own metrics (job ${COLLECTOR_JOB}) cannot be scraped: the collector is down or stalled`,
    });
  const earlier = new Map(before.map((s) => [seriesKey(s), s.value]));
  const increases: string[] = [];
  for (const s of now) {
    const previous = earlier.get(seriesKey(s)) ?? 0;
    // A counter below its earlier value was reset by a restart; all of it is new.
    const delta = s.value >= previous ? s.value - previous : s.value;
    if (delta <= 0) continue;
    const name = s.metric.__name__ ?? "";
    const where = s.metric.receiver ?? s.metric.exporter ?? s.metric.processor ?? "";
    increases.push(`${name}${where ? `{${where}}` : ""} +${formatValue(delta)}`);
    problems.push({
      check: "collector-healthy",
      message: `the collector lost telemetry in the last ${windowS}s: ${name}${where ? ` (${where})` : ""} rose by ${formatValue(delta)}`,
    });
  }
  const upText = up.map((s) => formatValue(s.value)).join(",") || "absent";
  return {
    problems,
    evidence: {
      query: `up{job="${COLLECTOR_JOB}"}; ${selector} now vs offset ${windowS}s`,
      result: `up=${upText}; ${increases.length ? increases.join("; ") : "no refused, failed or dropped telemetry"}`,
    },
  };
}

/** Rules that fail to evaluate, and alerts Prometheus or Alertmanager could not deliver. */
export async function ruleProblems(prometheus: PrometheusClient, windowS: number): Promise<Found> {
  const w = `${windowS}s`;
  const [groups, failures, notifications, discovered, amFailed] = await Promise.all([
    prometheus.ruleGroups(),
    prometheus.query(`sum by (rule_group) (increase(prometheus_rule_evaluation_failures_total[${w}])) > 0`),
    prometheus.query(`sum(increase(prometheus_notifications_errors_total[${w}])) + sum(increase(prometheus_notifications_dropped_total[${w}])) > 0`),
    prometheus.query("max(prometheus_notifications_alertmanagers_discovered)"),
    prometheus.query(`sum by (integration) (increase(alertmanager_notifications_failed_total[${w}])) > 0`),
  ]);
  const problems: MonitoringProblem[] = [];
  for (const group of groups) {
    for (const rule of group.rules) {
      if (rule.health !== "err") continue;
      problems.push({ check: "rules-healthy", message: `rule ${rule.name} (group ${group.name}) fails to evaluate: ${rule.lastError ?? "unknown error"}` });
    }
  }
  for (const f of failures) {
    const groupName = (f.metric.rule_group ?? "").split(";").pop() ?? "";
    problems.push({ check: "rules-healthy", message: `rule group ${groupName} had ${formatValue(f.value)} failed evaluations in the last ${windowS}s` });
  }
  if (notifications.length > 0)
    problems.push({
      check: "rules-healthy",
      message: `Prometheus failed to send or dropped ${formatValue(notifications[0]!.value)} alert notifications in the last ${windowS}s`,
    });
  if (discovered[0] && discovered[0].value < 1)
    problems.push({ check: "rules-healthy", message: "Prometheus has discovered no Alertmanager to send alerts to" });
  for (const f of amFailed)
    problems.push({
      check: "rules-healthy",
      message: `Alertmanager failed ${formatValue(f.value)} notifications to ${f.metric.integration ?? "a receiver"} in the last ${windowS}s`,
    });
  const ruleCount = groups.reduce((n, g) => n + g.rules.length, 0);
  return {
    problems,
    evidence: {
      query:
        "Prometheus /api/v1/rules; prometheus_rule_evaluation_failures_total, prometheus_notifications_{errors,dropped}_total, alertmanager_notifications_failed_total",
      result: `${ruleCount} rules in ${groups.length} groups; ${problems.length ? problems.map((p) => p.message).join("; ") : "all evaluating, notifications delivered"}`,
    },
  };
}
