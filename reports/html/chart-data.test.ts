import { buildChartPayload } from "./chart-data.js";
import { buildGameDayReport } from "../utils/report-fixture.js";

describe("buildChartPayload", () => {
  const report = buildGameDayReport();
  const payload = buildChartPayload(report);
  const panel = (id: string) => payload.panels.find((p) => p.id === id);

  it("should put the load generator's and Prometheus' series on the same charts", () => {
    expect(panel("load")!.series.map((s) => [s.source, s.label])).toEqual([
      ["client", "vegeta: requests/s"],
      ["server", "Prometheus: job:genomics_api_requests:rate1m"],
    ]);
    expect(panel("latency")!.series.map((s) => s.label)).toEqual(["vegeta: p50", "vegeta: p99", "Prometheus: job:genomics_api_p99_latency_seconds"]);
    expect(panel("errors")!.series).toHaveLength(2);
    expect(panel("other")).toBeUndefined();
  });

  it("should scale server seconds to milliseconds and ratios to percent", () => {
    const serverP99 = panel("latency")!.series[2]!;
    expect(Math.max(...(serverP99.y as number[]))).toBeCloseTo(4950, 0);
    const clientErrors = panel("errors")!.series[0]!;
    expect(Math.max(...(clientErrors.y as number[]))).toBeGreaterThan(80);
  });

  it("should give x as seconds from run start", () => {
    const rps = panel("load")!.series[0]!;
    expect(rps.x[0]).toBe(0);
    expect(rps.x.at(-1)).toBe(899);
    expect(payload.t1).toBe(905);
  });

  it("should chart a thinned report's wide buckets as requests per second", () => {
    const thinned = { ...report.load!, samples: report.load!.samples.map((s) => ({ ...s, seconds: 30, requests: s.requests * 30 })) };
    const rps = buildChartPayload({ ...report, load: thinned }).panels.find((p) => p.id === "load")!.series[0]!;
    expect(new Set(rps.y)).toEqual(new Set([20]));
  });

  it("should shade the fault window and the unresolved alert to the run's end", () => {
    expect(payload.faults).toEqual([{ label: "pool-exhausted", start: 120.4, end: 360.6, open: false }]);
    expect(payload.alerts).toEqual([{ label: "AnalysisAPIErrorBudgetBurn", start: 255.4, end: 905, open: true, notified: 287.7 }]);
  });

  it("should number first-seen marks like the expectations table", () => {
    expect(payload.markers.map((m) => [m.n, m.id])).toEqual([
      [1, "error-ratio-rises"],
      [2, "failing-db-spans-traced"],
      [3, "pool-errors-logged"],
      [5, "burn-alert-pages"],
    ]);
  });

  it("should fall back to the Timeline when a result lacks a time", () => {
    const copy = structuredClone(report);
    delete copy.expectations[0]!.firstSeenAt;
    delete copy.faults[0]!.rolledBackAt;
    const fromTimeline = buildChartPayload(copy);
    expect(fromTimeline.markers[0]!.at).toBeCloseTo(153.6, 3);
    expect(fromTimeline.faults[0]!.end).toBe(360.6);
    copy.timeline = copy.timeline.filter((e) => e.kind !== "fault-rolled-back");
    expect(buildChartPayload(copy).faults[0]).toMatchObject({ end: 905, open: true });
  });

  it("should draw the SLO's allowance and the burn-rate thresholds", () => {
    expect(panel("errors")!.thresholds).toEqual([{ value: 1, label: "analysis-availability-99 allows 1 %" }]);
    expect(panel("burn")!.thresholds.map((t) => t.value)).toEqual([1, 14.4]);
  });

  // The bench renders a million samples; a third of that proves the bound without a slow test.
  it("should downsample hundreds of thousands of load samples and server points", () => {
    const big = buildGameDayReport({ durationSeconds: 300_000, seriesPoints: 100_000 });
    const p = buildChartPayload(big, 500);
    for (const series of p.panels.flatMap((x) => x.series)) expect(series.x.length).toBeLessThanOrEqual(1000);
    const errors = p.panels.find((x) => x.id === "errors")!.series[0]!;
    expect(Math.max(...(errors.y as number[]))).toBeGreaterThan(80);
  });

  it("should leave out panels with no data", () => {
    const bare = buildChartPayload({ ...report, load: undefined, series: {}, slos: [] });
    expect(bare.panels).toEqual([]);
  });
});
