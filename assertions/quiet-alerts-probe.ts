import type { Endpoints } from "../core/environment.js";
import type { Diagnosis, PathContext, PathLiveness } from "./diagnosis/diagnosis.js";
import type { Evidence, Probe, ProbeAnswer, ProbeContext } from "./probe.js";
import { PrometheusClient } from "./clients/index.js";
import { MetricProbe } from "./metric-probe.js";

/** Firing alerts, less those meant to always fire (names are valid metric names, so a plain | regex holds). */
export function firingAlertsQuery(alwaysFiring: readonly string[]): string {
  return alwaysFiring.length ? `ALERTS{alertstate="firing", alertname!~"${alwaysFiring.join("|")}"}` : 'ALERTS{alertstate="firing"}';
}

/**
 * The named check no-alert-firing: ALERTS stays absent, but for the alerts the stack fires on
 * purpose (Watchdog, ...), which it leaves out and names in its evidence, so a pass on a real
 * cluster says what it did not count. Judging, liveness and diagnosis are the metric probe's.
 */
export class QuietAlertsProbe implements Probe {
  readonly signal = "metric" as const;
  readonly visibility = "signal" as const;
  private readonly firing: MetricProbe;

  constructor(
    private readonly prometheus: PrometheusClient,
    private readonly alwaysFiring: readonly string[],
  ) {
    this.firing = new MetricProbe(prometheus, { query: firingAlertsQuery(alwaysFiring), mode: "holds" });
  }

  describe(): string {
    return this.firing.describe();
  }

  diagnose(ctx: PathContext): Promise<Diagnosis> {
    return this.firing.diagnose(ctx);
  }

  pathAlive(ctx: PathContext): Promise<PathLiveness> {
    return this.firing.pathAlive(ctx);
  }

  async observe(ctx: ProbeContext): Promise<ProbeAnswer> {
    const [answer, ignored] = await Promise.all([this.firing.observe(ctx), this.ignoredNow()]);
    if (ignored.length === 0) return answer;
    const note = (e: Evidence): Evidence => ({
      ...e,
      result: `${e.result}; ignored ${ignored.length} alert${ignored.length === 1 ? "" : "s"} meant to always fire: ${ignored.join(", ")}`,
    });
    return answer.seen ? { seen: { ...answer.seen, evidence: note(answer.seen.evidence) } } : { miss: note(answer.miss) };
  }

  private async ignoredNow(): Promise<string[]> {
    if (this.alwaysFiring.length === 0) return [];
    const samples = await this.prometheus.query(`count by (alertname) (ALERTS{alertstate="firing", alertname=~"${this.alwaysFiring.join("|")}"})`);
    return samples.map((s) => s.metric.alertname ?? "").sort();
  }
}

export function quietAlertsProbe(spec: { alwaysFiring: readonly string[] }, endpoints: Endpoints): QuietAlertsProbe {
  return new QuietAlertsProbe(new PrometheusClient(endpoints.prometheus, 5000, endpoints.access?.prometheus), spec.alwaysFiring);
}
