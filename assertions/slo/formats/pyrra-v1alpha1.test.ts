import { errorRatioQuery } from "../slo-definition.js";
import { loadSloFile } from "../slo-loader.js";
import { edited, fixture } from "./format-test-utils.js";

const ERRORS = "pyrra-apiserver-request-errors.yaml";
const LATENCY = "pyrra-caddy-response-latency.yaml";

describe("Pyrra pyrra.dev/v1alpha1", () => {
  it("should read Pyrra's ratio example, building the rates as Pyrra does", () => {
    const slos = loadSloFile(fixture(ERRORS));
    expect(slos.map((s) => [s.name, s.objective, s.period])).toEqual([
      ["apiserver-read-response-errors", 0.9999, "14d"],
      ["apiserver-write-response-errors", 0.99, "7d"],
    ]);
    expect(slos[0]!.sli).toEqual({
      kind: "ratio",
      badQuery: 'sum(rate(apiserver_request_total{job="apiserver",verb=~"LIST|GET",code=~"5.."}[{{window}}]))',
      totalQuery: 'sum(rate(apiserver_request_total{job="apiserver",verb=~"LIST|GET"}[{{window}}]))',
    });
    expect(slos[0]!.alertPolicy).toBeUndefined();
  });

  it("should read Pyrra's latency example as a latency SLI with the bucket's threshold", () => {
    const [slo] = loadSloFile(fixture(LATENCY));
    expect(slo).toMatchObject({ name: "caddy-response-latency", objective: 0.9, period: "28d" });
    expect(slo!.sli).toMatchObject({ kind: "latency", thresholdSeconds: 0.05 });
    expect(errorRatioQuery(slo!, "5m")).toMatch(/^1 - \(/);
  });

  it("should keep the alert name the file gives", () => {
    const file = edited(LATENCY, "  window: 4w\n", "  window: 4w\n  alerting: { name: CaddySlow }\n");
    expect(loadSloFile(file)[0]!.alertName).toBe("CaddySlow");
  });

  it("should refuse a bool_gauge indicator, naming what it supports", () => {
    const file = edited(LATENCY, /  indicator:\n[\s\S]*?  target:/, '  indicator:\n    bool_gauge:\n      metric: up{job="caddy"}\n  target:');
    expect(() => loadSloFile(file)).toThrow(
      `${file}: spec.indicator.bool_gauge: Pyrra's bool_gauge indicator is not supported; use indicator.ratio (errors, total) or indicator.latency (success, total)`,
    );
  });

  it("should refuse grouping, with the way to write it instead", () => {
    const file = edited(LATENCY, "  target:", "      grouping: [handler]\n  target:");
    expect(() => loadSloFile(file)).toThrow(`${file}: spec.indicator.latency.grouping: grouped SLOs (one per handler) are not supported`);
  });

  it("should refuse a target written as a ratio", () => {
    const file = edited(LATENCY, 'target: "90"', 'target: "0.9"');
    expect(() => loadSloFile(file)).toThrow(`${file}: spec.target: a percentage from 1 to below 100, like "99.9" for 99.9 %; got "0.9"`);
  });

  it("should refuse a metric that is already a rate", () => {
    const file = edited(
      LATENCY,
      /metric: caddy_http_response_duration_seconds_count\{(.*)\}/,
      "metric: rate(caddy_http_response_duration_seconds_count{$1}[5m])",
    );
    expect(() => loadSloFile(file)).toThrow(`${file}: spec.indicator.latency.total.metric: expected one metric selector`);
  });

  it("should refuse a latency success metric without a bucket", () => {
    const file = edited(
      LATENCY,
      /metric: caddy_http_response_duration_seconds_bucket\{[^\n]*\}/,
      'metric: caddy_http_response_duration_seconds_count{job="caddy"}',
    );
    expect(() => loadSloFile(file)).toThrow(`${file}: spec.indicator.latency.success.metric: expected a histogram bucket with le`);
  });
});
