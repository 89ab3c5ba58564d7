import type { Endpoints } from "../core/environment.js";
import type { Evidence, Observation, Probe, ProbeContext } from "./probe.js";
import { checkMonitoring, MONITORING_CHECKS, type MonitoringCheck } from "./monitoring-status.js";
import type { ReportsMisses } from "./utils/miss-evidence.js";

/**
 * Monitoring's own health as an expectation: the claim (targets up, collector healthy, rules
 * healthy) is the signal, so `appears` means "healthy within the deadline". An unreachable
 * Prometheus cannot vouch for anything: the probe throws and the verdict is inconclusive.
 */
export class MonitoringProbe implements Probe, ReportsMisses {
  readonly signal = "monitoring" as const;
  readonly visibility = "signal" as const;
  private miss: Evidence | undefined;

  constructor(private readonly endpoints: Endpoints, private readonly check: MonitoringCheck | "all") {}

  describe(): string {
    const checks = this.check === "all" ? MONITORING_CHECKS.join(", ") : this.check;
    return `monitoring healthy: ${checks}`;
  }

  lastMiss(): Evidence | undefined {
    return this.miss;
  }

  async observe(_ctx: ProbeContext): Promise<Observation | undefined> {
    const status = await checkMonitoring(this.endpoints, { checks: this.check === "all" ? MONITORING_CHECKS : [this.check] });
    const unreachable = status.problems.find((p) => p.check === "prometheus");
    if (unreachable) throw new Error(unreachable.message);
    const evidence: Evidence = { query: status.evidence.map((e) => e.query).join("; "), result: status.evidence.map((e) => e.result).join(" | ") };
    if (status.problems.length > 0) {
      this.miss = { ...evidence, result: status.problems.map((p) => p.message).join("; ") };
      return undefined;
    }
    return { at: status.checkedAt, evidence };
  }
}
