import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Gauge, Pushgateway, Registry } from "prom-client";
import type { TimelineEvent } from "../core/timeline.js";
import type { HarnessMetricsListener } from "../env/provider-kind.js";

const STATES = ["pending", "pass", "fail", "inconclusive"] as const;

/**
 * The harness's own metrics, scraped by the stack's Prometheus while a run is under way, so
 * dashboards and queries see exactly when chaos was active and what each expectation concluded.
 */
export class HarnessMetrics {
  readonly registry = new Registry();
  private readonly servers = new Set<Server>();
  private readonly faultActive = new Gauge({
    name: "slo_harness_fault_active",
    help: "1 while a fault is injected",
    labelNames: ["experiment", "fault", "injector"],
    registers: [this.registry],
  });
  private readonly expectationState = new Gauge({
    name: "slo_harness_expectation_state",
    help: "1 for the current state of each expectation",
    labelNames: ["experiment", "expectation", "state"],
    registers: [this.registry],
  });
  private readonly detectionLatency = new Gauge({
    name: "slo_harness_detection_latency_seconds",
    help: "Time from an expectation's anchor to the signal first being seen",
    labelNames: ["experiment", "expectation"],
    registers: [this.registry],
  });
  private readonly requests = new Counter({
    name: "slo_harness_load_requests_total",
    help: "Requests the load generator completed",
    labelNames: ["experiment", "outcome"],
    registers: [this.registry],
  });
  private readonly verdict = new Gauge({
    name: "slo_harness_run_verdict",
    help: "1 for the verdict of the last run of each experiment",
    labelNames: ["experiment", "verdict"],
    registers: [this.registry],
  });
  private readonly runDuration = new Gauge({
    name: "slo_harness_run_duration_seconds",
    help: "Wall-clock duration of the last run",
    labelNames: ["experiment"],
    registers: [this.registry],
  });
  private readonly budgetConsumed = new Gauge({
    name: "slo_harness_error_budget_consumed_ratio",
    help: "Error budget consumed during the run, client and server side",
    labelNames: ["experiment", "slo", "side"],
    registers: [this.registry],
  });

  /** Serves /metrics on a free loopback port; returns host:port for a Prometheus scrape config. */
  async serve(): Promise<string> {
    return (await this.listen("127.0.0.1", 0)).address;
  }

  /**
   * The same metrics on another of this host's addresses: a Docker network's gateway, where a
   * Prometheus in a container on that network can reach them and nothing outside the machine can.
   */
  async listen(host: string, port = 0): Promise<HarnessMetricsListener> {
    const server = createServer((req, res) => {
      if (req.url !== "/metrics") return void res.writeHead(404).end();
      this.registry.metrics().then(
        (body) => res.writeHead(200, { "content-type": this.registry.contentType }).end(body),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err) => reject(new Error(`harness metrics: cannot listen on ${host}:${port}: ${err.message}`, { cause: err })));
      server.listen(port, host, resolve);
    });
    this.servers.add(server);
    return { address: `${host}:${(server.address() as AddressInfo).port}`, close: () => this.closeServer(server) };
  }

  async close(): Promise<void> {
    await Promise.all([...this.servers].map((s) => this.closeServer(s)));
  }

  private async closeServer(server: Server): Promise<void> {
    if (!this.servers.delete(server)) return;
    // Prometheus keeps its scrape connection alive, and close() alone would wait for it forever.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Follows a run's timeline, so the metrics never disagree with the report. */
  track(experiment: string): (event: TimelineEvent) => void {
    return (event) => {
      const data = event.data ?? {};
      switch (event.kind) {
        case "fault-injected":
          this.faultActive.set({ experiment, fault: event.id, injector: String(data.injector) }, 1);
          break;
        case "fault-rolled-back":
          this.faultActive.set({ experiment, fault: event.id, injector: String(data.injector) }, 0);
          break;
        case "expectation-started":
          this.setState(experiment, event.id!, "pending");
          break;
        case "expectation-verdict":
          this.setState(experiment, event.id!, String(data.verdict) as (typeof STATES)[number]);
          if (typeof data.detectionLatencySeconds === "number") this.detectionLatency.set({ experiment, expectation: event.id }, data.detectionLatencySeconds);
          break;
        default:
          break;
      }
    };
  }

  countRequest(experiment: string, failed: boolean): void {
    this.requests.inc({ experiment, outcome: failed ? "failure" : "success" });
  }

  recordRun(
    experiment: string,
    verdict: string,
    durationSeconds: number,
    budgets: { slo: string; side: "client" | "server"; consumed: number | null }[],
  ): void {
    for (const v of ["pass", "fail", "inconclusive"]) this.verdict.set({ experiment, verdict: v }, v === verdict ? 1 : 0);
    this.runDuration.set({ experiment }, durationSeconds);
    for (const b of budgets) if (b.consumed !== null) this.budgetConsumed.set({ experiment, slo: b.slo, side: b.side }, b.consumed);
  }

  /** Sends the run's results to a Pushgateway, for nightly trend dashboards. */
  async push(url: string, experiment: string): Promise<void> {
    await new Pushgateway(url, {}, this.registry).pushAdd({ jobName: "slo-harness", groupings: { experiment } });
  }

  private setState(experiment: string, expectation: string, state: (typeof STATES)[number]): void {
    for (const s of STATES) this.expectationState.set({ experiment, expectation, state: s }, s === state ? 1 : 0);
  }
}
