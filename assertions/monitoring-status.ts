import type { Endpoints } from "../env/environment.js";
import type { Evidence, Probe, Signal } from "./probe.js";
import { PrometheusClient, type PromTarget } from "./clients/index.js";
import { errorMessage } from "./utils/errors.js";
import { collectorProblems, ruleProblems } from "./monitoring-checks.js";

export type MonitoringCheck = "targets-up" | "collector-healthy" | "rules-healthy";
export const MONITORING_CHECKS: readonly MonitoringCheck[] = ["targets-up", "collector-healthy", "rules-healthy"];

export interface MonitoringProblem {
  check: MonitoringCheck | "prometheus";
  /** Signals whose absence can no longer be trusted; empty when the problem blinds nothing yet (a target not scraped so far). */
  affects: Signal[];
  message: string;
  /** When set, only probes naming one of these (failing rules) are blinded for the metric signal. */
  names?: string[];
}

export interface MonitoringStatus {
  checkedAt: Date;
  problems: MonitoringProblem[];
  evidence: Evidence[];
}

/** Which signals a scrape job's outage blinds. Unknown jobs are the user's and feed metrics and alerts. */
const JOB_SIGNALS: Record<string, Signal[]> = {
  "otel-collector": ["metric", "alert"],
  // The collector's own metrics: down means the collector is likely down, and its health unknown.
  "otel-collector-internal": ["trace", "log", "metric"],
  jaeger: ["trace"],
  "victoria-logs": ["log"],
  loki: ["log"],
  alertmanager: ["alert"],
  prometheus: ["metric", "alert"],
};

export interface MonitoringOptions {
  checks?: readonly MonitoringCheck[];
  /** The window counters are judged over (refused spans, failed rule evaluations). */
  windowSeconds?: number;
  /** Kept short: a paused Prometheus must not stall every expectation's blindness check. */
  timeoutMs?: number;
}

/**
 * Can monitoring see? Scrape targets, the collector's own counters of refused and failed
 * telemetry, and Prometheus' rule evaluations and notifications, all read from Prometheus.
 * Never throws: an unreachable Prometheus is itself a problem (metrics and alerts blind, the
 * collector's health unknown).
 */
export async function checkMonitoring(endpoints: Endpoints, options: MonitoringOptions = {}): Promise<MonitoringStatus> {
  const checks = options.checks ?? MONITORING_CHECKS;
  const windowS = options.windowSeconds ?? 30;
  const prometheus = new PrometheusClient(endpoints.prometheus, options.timeoutMs ?? 3000);
  const checkedAt = new Date();
  const problems: MonitoringProblem[] = [];
  const evidence: Evidence[] = [];
  try {
    if (checks.includes("targets-up")) {
      const targets = await prometheus.targets();
      problems.push(...targetProblems(targets));
      evidence.push({ query: "Prometheus /api/v1/targets", result: targets.map((t) => `${t.job}: ${t.health}${t.lastError ? ` (${t.lastError})` : ""}`).join("; ") || "no active targets" });
    }
    if (checks.includes("collector-healthy")) {
      const found = await collectorProblems(prometheus, windowS);
      problems.push(...found.problems);
      evidence.push(found.evidence);
    }
    if (checks.includes("rules-healthy")) {
      const found = await ruleProblems(prometheus, windowS);
      problems.push(...found.problems);
      evidence.push(found.evidence);
    }
  } catch (err) {
    problems.push({
      check: "prometheus",
      affects: ["metric", "alert", "trace", "log"],
      message: `Prometheus unreachable (${errorMessage(err)}): metrics and alerts cannot be read, and the collector's health is unknown`,
    });
    evidence.push({ query: `Prometheus ${endpoints.prometheus}`, result: errorMessage(err) });
  }
  return { checkedAt, problems, evidence };
}

function targetProblems(targets: PromTarget[]): MonitoringProblem[] {
  const problems: MonitoringProblem[] = [];
  if (targets.length === 0) problems.push({ check: "targets-up", affects: ["metric", "alert"], message: "Prometheus has no active scrape targets" });
  for (const t of targets) {
    if (t.health === "up") continue;
    // "unknown" is a target not scraped yet: not healthy, but nothing was missed.
    const affects = t.health === "down" ? (JOB_SIGNALS[t.job] ?? ["metric", "alert"]) : [];
    problems.push({ check: "targets-up", affects, message: `scrape target ${t.job} (${t.scrapeUrl}) is ${t.health}${t.lastError ? `: ${t.lastError}` : ""}` });
  }
  return problems;
}

/** The problems that make a probe's negative findings untrustworthy. */
export function blindingProblems(status: MonitoringStatus, probe: Probe): MonitoringProblem[] {
  if (probe.signal === "monitoring") return [];
  const description = probe.describe();
  return status.problems.filter((p) => {
    if (!p.affects.includes(probe.signal)) return false;
    if (p.names && probe.signal === "metric") return p.names.some((n) => description.includes(n));
    return true;
  });
}

/**
 * One monitoring check shared by every expectation polling at once: calls within `maxAgeMs`
 * of the last get its answer, and concurrent calls share one request.
 */
export function sharedMonitoring(endpoints: Endpoints, options: MonitoringOptions & { maxAgeMs?: number } = {}): () => Promise<MonitoringStatus> {
  let last: MonitoringStatus | undefined;
  let pending: Promise<MonitoringStatus> | undefined;
  return () => {
    if (last && Date.now() - last.checkedAt.getTime() < (options.maxAgeMs ?? 2000)) return Promise.resolve(last);
    pending ??= checkMonitoring(endpoints, options).then((status) => {
      last = status;
      pending = undefined;
      return status;
    });
    return pending;
  };
}
