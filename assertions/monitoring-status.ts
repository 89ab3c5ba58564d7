import { HARNESS_SCRAPE_JOB, type Endpoints } from "../core/environment.js";
import type { Evidence } from "./probe.js";
import { PrometheusClient, type PromTarget } from "./clients/index.js";
import { errorMessage } from "./utils/errors.js";
import { collectorProblems, ruleProblems, type MonitoringCheck, type MonitoringProblem } from "./monitoring-checks.js";

export type { MonitoringCheck, MonitoringProblem } from "./monitoring-checks.js";
export const MONITORING_CHECKS: readonly MonitoringCheck[] = ["targets-up", "collector-healthy", "rules-healthy"];

export interface MonitoringStatus {
  checkedAt: Date;
  problems: MonitoringProblem[];
  evidence: Evidence[];
}

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
  const prometheus = new PrometheusClient(endpoints.prometheus, options.timeoutMs ?? 3000, endpoints.access?.prometheus);
  const checkedAt = new Date();
  const problems: MonitoringProblem[] = [];
  const evidence: Evidence[] = [];
  try {
    if (checks.includes("targets-up")) {
      const targets = await prometheus.targets();
      problems.push(...targetProblems(targets));
      evidence.push({
        query: "Prometheus /api/v1/targets",
        result: targets.map((t) => `${t.job}: ${t.health}${t.lastError ? ` (${t.lastError})` : ""}`).join("; ") || "no active targets",
      });
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
      message: `Prometheus unreachable (${errorMessage(err)}): metrics and alerts cannot be read, and the collector's health is unknown`,
    });
    evidence.push({ query: `Prometheus ${endpoints.prometheus}`, result: errorMessage(err) });
  }
  return { checkedAt, problems, evidence };
}

function targetProblems(targets: PromTarget[]): MonitoringProblem[] {
  const problems: MonitoringProblem[] = [];
  if (targets.length === 0) problems.push({ check: "targets-up", message: "Prometheus has no active scrape targets" });
  for (const t of targets) {
    // The harness's own metrics are not the stack's: a host firewall between the stack and the
    // harness costs dashboards their fault markers, not the steady state of what is under test.
    if (t.health === "up" || t.job === HARNESS_SCRAPE_JOB) continue;
    problems.push({ check: "targets-up", message: `scrape target ${t.job} (${t.scrapeUrl}) is ${t.health}${t.lastError ? `: ${t.lastError}` : ""}` });
  }
  return problems;
}
