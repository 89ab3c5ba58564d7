import { checkMonitoring } from "./monitoring-status.js";
import { MonitoringProbe } from "./monitoring-probe.js";
import type { ProbeContext } from "./probe.js";
import { StubHttpServer } from "./utils/stub-http.js";
import type { Endpoints } from "../core/environment.js";

type Sample = { metric: Record<string, string>; value: [number, string] };
const vector = (result: Sample[]) => ({ status: "success", data: { resultType: "vector", result } });
const sample = (metric: Record<string, string>, v: number): Sample => ({ metric, value: [Date.now() / 1000, String(v)] });

describe("checkMonitoring", () => {
  const prom = new StubHttpServer();
  let endpoints: Endpoints;
  /** Instant-query answers by a substring of the PromQL. */
  let answers: [string, Sample[]][];

  beforeAll(async () => {
    endpoints = { prometheus: await prom.start() } as Endpoints;
  });
  beforeEach(() => {
    answers = [
      ['up{job="otel-collector-internal"}', [sample({ job: "otel-collector-internal" }, 1)]],
      ["prometheus_notifications_alertmanagers_discovered", [sample({}, 1)]],
    ];
    prom.on("/api/v1/query", (req, res) => {
      const q = req.query.get("query")!;
      const hit = answers.find(([needle]) => q.includes(needle));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(vector(hit?.[1] ?? [])));
    });
    prom.json("/api/v1/targets", {
      status: "success",
      data: { activeTargets: [{ labels: { job: "genomics-api" }, health: "up", lastError: "", scrapeUrl: "http://x/metrics", lastScrape: "" }] },
    });
    prom.json("/api/v1/rules", {
      status: "success",
      data: {
        groups: [{ name: "sli", file: "/r.yml", interval: 5, rules: [{ name: "job:genomics_api_error_ratio:rate1m", type: "recording", health: "ok" }] }],
      },
    });
  });
  afterAll(() => prom.stop());

  it("should find nothing wrong with a healthy stack", async () => {
    const status = await checkMonitoring(endpoints);
    expect(status.problems).toEqual([]);
    expect(status.evidence.map((e) => e.query)).toEqual([
      expect.stringMatching(/targets/),
      expect.stringMatching(/otel-collector-internal/),
      expect.stringMatching(/rules/),
    ]);
  });

  it("should report a down target and one not yet scraped, but not the harness's own metrics", async () => {
    prom.json("/api/v1/targets", {
      status: "success",
      data: {
        activeTargets: [
          { labels: { job: "jaeger" }, health: "down", lastError: "connection refused", scrapeUrl: "http://j/metrics", lastScrape: "" },
          { labels: { job: "genomics-api" }, health: "unknown", lastError: "", scrapeUrl: "http://a/metrics", lastScrape: "" },
          { labels: { job: "slo-harness" }, health: "down", lastError: "connection refused", scrapeUrl: "http://172.18.0.1:4/metrics", lastScrape: "" },
        ],
      },
    });
    const { problems } = await checkMonitoring(endpoints, { checks: ["targets-up"] });
    expect(problems).toEqual([
      { check: "targets-up", message: "scrape target jaeger (http://j/metrics) is down: connection refused" },
      { check: "targets-up", message: "scrape target genomics-api (http://a/metrics) is unknown" },
    ]);
  });

  it("should report telemetry the collector refused in the window, including a counter that just appeared", async () => {
    answers.unshift([
      'otelcol_(receiver_refused|receiver_failed|exporter_send_failed|exporter_enqueue_failed|processor_refused|processor_dropped)_(spans|metric_points|log_records)(_total)?"}',
      [
        sample({ __name__: "otelcol_receiver_refused_spans", receiver: "otlp" }, 25),
        sample({ __name__: "otelcol_exporter_send_failed_log_records", exporter: "otlphttp/logs" }, 3),
      ],
    ]);
    // The offset query contains the plain one; it goes first so it matches first.
    answers.unshift([
      'otelcol_(receiver_refused|receiver_failed|exporter_send_failed|exporter_enqueue_failed|processor_refused|processor_dropped)_(spans|metric_points|log_records)(_total)?"} offset',
      [sample({ __name__: "otelcol_receiver_refused_spans", receiver: "otlp" }, 10)],
    ]);
    const { problems } = await checkMonitoring(endpoints, { checks: ["collector-healthy"] });
    expect(problems.map((p) => p.message)).toEqual([
      "the collector lost telemetry in the last 30s: otelcol_receiver_refused_spans (otlp) rose by 15",
      "the collector lost telemetry in the last 30s: otelcol_exporter_send_failed_log_records (otlphttp/logs) rose by 3",
    ]);
  });

  it("should report a stalled collector from its scrape target", async () => {
    answers[0] = ['up{job="otel-collector-internal"}', [sample({ job: "otel-collector-internal" }, 0)]];
    const { problems } = await checkMonitoring(endpoints, { checks: ["collector-healthy"] });
    expect(problems[0]!.message).toMatch(/cannot be scraped: the collector is down or stalled/);
  });

  it("should report failing rules by name", async () => {
    prom.json("/api/v1/rules", {
      status: "success",
      data: {
        groups: [
          {
            name: "sli",
            file: "/r.yml",
            interval: 5,
            rules: [{ name: "job:genomics_api_error_ratio:rate1m", type: "recording", health: "err", lastError: "many-to-many matching not allowed" }],
          },
        ],
      },
    });
    const status = await checkMonitoring(endpoints, { checks: ["rules-healthy"] });
    expect(status.problems[0]!.message).toBe("rule job:genomics_api_error_ratio:rate1m (group sli) fails to evaluate: many-to-many matching not allowed");
  });

  it("should report undelivered notifications", async () => {
    answers.unshift(["prometheus_notifications_errors_total", [sample({}, 4)]]);
    const { problems } = await checkMonitoring(endpoints, { checks: ["rules-healthy"] });
    expect(problems).toEqual([{ check: "rules-healthy", message: "Prometheus failed to send or dropped 4 alert notifications in the last 30s" }]);
  });

  it("should not throw when Prometheus is unreachable, and say so", async () => {
    const status = await checkMonitoring({ prometheus: "http://127.0.0.1:9" } as Endpoints);
    expect(status.problems).toEqual([{ check: "prometheus", message: expect.stringMatching(/^Prometheus unreachable \(Prometheus GET .*ECONNREFUSED/) }]);
  });

  it("should make the monitoring probe see health, and throw when Prometheus cannot vouch", async () => {
    const ctx = { endpoints, since: new Date() } as ProbeContext;
    expect(await new MonitoringProbe(endpoints, "all").observe(ctx)).toBeDefined();
    await expect(new MonitoringProbe({ prometheus: "http://127.0.0.1:9" } as Endpoints, "targets-up").observe(ctx)).rejects.toThrow(/Prometheus unreachable/);
  });
});
