import { errorRatioQuery } from "../slo-definition.js";
import { loadSloFile } from "../slo-loader.js";
import { SLOTH_POLICY } from "../burn-rate-policy.js";
import { edited, fixture } from "./format-test-utils.js";

const SLOTH_EXAMPLE = "sloth-openslo-getting-started.yml";

describe("OpenSLO v1alpha", () => {
  it("should read Sloth's own OpenSLO example as a good/total ratio SLO", () => {
    const [slo, ...more] = loadSloFile(fixture(SLOTH_EXAMPLE));
    expect(more).toEqual([]);
    expect(slo).toMatchObject({
      name: "sloth-slo-my-service",
      service: "my-service",
      objective: 0.999,
      period: "30d",
      periodMs: 2_592_000_000,
      clientErrors: "5xx",
      alertPolicy: SLOTH_POLICY,
    });
    expect(slo!.sli).toMatchObject({ kind: "ratio", goodQuery: expect.stringContaining('code!~"(5..|429)"') });
    expect(errorRatioQuery(slo!, "5m")).toContain('sum(rate(http_request_duration_seconds_count{job="myservice"}[5m]))');
  });

  it("should accept budgetingMethod Occurrences, as the example's earlier version gave it", () => {
    const file = edited(SLOTH_EXAMPLE, "  objectives:", "  budgetingMethod: Occurrences\n  objectives:");
    expect(loadSloFile(file)[0]!.objective).toBe(0.999);
  });

  it("should read a bad/total ratio as well", () => {
    const file = edited(SLOTH_EXAMPLE, "        good:", "        bad:");
    expect(loadSloFile(file)[0]!.sli).toMatchObject({ kind: "ratio", badQuery: expect.stringContaining("code!~") });
  });

  it("should make one SLO per objective, named as Sloth names them", () => {
    const second =
      "    - ratioMetrics:\n        good: { source: prometheus, queryType: promql, query: 'sum(rate(a_total[{{.window}}]))' }\n        total: { source: prometheus, queryType: promql, query: 'sum(rate(b_total[{{.window}}]))' }\n      target: 0.99\n  timeWindows:";
    const file = edited(SLOTH_EXAMPLE, "  timeWindows:", second);
    expect(loadSloFile(file).map((s) => [s.name, s.objective])).toEqual([
      ["sloth-slo-my-service-0", 0.999],
      ["sloth-slo-my-service-1", 0.99],
    ]);
  });

  it("should read a window in weeks", () => {
    const file = edited(SLOTH_EXAMPLE, /count: 30\n {6}unit: Day/, "count: 4\n      unit: Week");
    expect(loadSloFile(file)[0]!.period).toBe("28d");
  });

  it("should refuse a month window, naming the file, the field and the fix", () => {
    const file = edited(SLOTH_EXAMPLE, "unit: Day", "unit: Month");
    expect(() => loadSloFile(file)).toThrow(`${file}: spec.timeWindows[0].unit: a Month has no fixed length; use count: 30 with unit: Day`);
  });

  it("should refuse a target given in percent", () => {
    const file = edited(SLOTH_EXAMPLE, "target: 0.999", "target: 99.9");
    expect(() => loadSloFile(file)).toThrow(new RegExp(`${file}: spec\\.objectives\\[0\\]\\.target: .*like 0\\.999`));
  });

  it("should refuse a source other than Prometheus", () => {
    const file = edited(SLOTH_EXAMPLE, "source: prometheus", "source: datadog");
    expect(() => loadSloFile(file)).toThrow(new RegExp(`${file}: spec\\.objectives\\[0\\]\\.ratioMetrics\\.good\\.source: .*only source "prometheus"`));
  });

  it("should refuse a query without the window placeholder, saying where it goes", () => {
    const file = edited(SLOTH_EXAMPLE, '{job="myservice"}[{{.window}}]', '{job="myservice"}[5m]');
    expect(() => loadSloFile(file)).toThrow(`${file}: spec.objectives[0].ratioMetrics.total.query: the query has no "{{window}}"`);
  });

  it("should refuse a threshold indicator with the ratio to use instead", () => {
    const file = edited(
      SLOTH_EXAMPLE,
      "  objectives:",
      "  indicator: { thresholdMetric: { source: prometheus, queryType: promql, query: up } }\n  objectives:",
    );
    expect(() => loadSloFile(file)).toThrow(`${file}: spec.indicator: threshold SLIs (thresholdMetric) are not supported; give each objective ratioMetrics`);
  });

  it("should refuse an apiVersion it does not know, listing the formats it reads", () => {
    const file = edited(SLOTH_EXAMPLE, "openslo/v1alpha", "openslo/v2alpha");
    expect(() => loadSloFile(file)).toThrow(`${file}: apiVersion: "openslo/v2alpha" is not a format the harness reads; expected one of: OpenSLO v1`);
  });
});
