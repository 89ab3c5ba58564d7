import type { Endpoints } from "../core/environment.js";
import type { Evidence, Probe, ProbeAnswer, ProbeContext } from "./probe.js";
import { checkMonitoring, MONITORING_CHECKS, type MonitoringCheck } from "./monitoring-status.js";
import { z } from "zod";
import { probeKind } from "./probe-kind.js";

/**
 * Monitoring's own health as an expectation: the claim (targets up, collector healthy, rules
 * healthy) is the signal, so `appears` means "healthy within the deadline". An unreachable
 * Prometheus cannot vouch for anything: the probe throws and the verdict is inconclusive.
 */
export class MonitoringProbe implements Probe {
  readonly signal = "monitoring" as const;
  readonly visibility = "signal" as const;

  constructor(
    private readonly endpoints: Endpoints,
    private readonly check: MonitoringCheck | "all",
  ) {}

  describe(): string {
    const checks = this.check === "all" ? MONITORING_CHECKS.join(", ") : this.check;
    return `monitoring healthy: ${checks}`;
  }

  async observe(_ctx: ProbeContext): Promise<ProbeAnswer> {
    const status = await checkMonitoring(this.endpoints, { checks: this.check === "all" ? MONITORING_CHECKS : [this.check] });
    const unreachable = status.problems.find((p) => p.check === "prometheus");
    if (unreachable) throw new Error(unreachable.message);
    const evidence: Evidence = { query: status.evidence.map((e) => e.query).join("; "), result: status.evidence.map((e) => e.result).join(" | ") };
    if (status.problems.length > 0) {
      return { miss: { ...evidence, result: status.problems.map((p) => p.message).join("; ") } };
    }
    return { seen: { at: status.checkedAt, evidence } };
  }
}

export const MonitoringProbeSpec = z.strictObject({
  check: z.enum(["targets-up", "collector-healthy", "rules-healthy", "all"]).default("all"),
});

export const monitoringProbeKind = probeKind({
  key: "monitoring",
  signal: "monitoring",
  summary: "scrape targets up, collector healthy, rules evaluating (the stack watching itself)",
  spec: MonitoringProbeSpec,
  kinds: ["appears"],
  steadyState: true,
  build(spec, { endpoints }) {
    return new MonitoringProbe(endpoints, spec.check);
  },
});
