import type { Report } from "../core/report-schema.js";
import { findFindings } from "./findings.js";
import { buildCompressedGameDayReport, buildGameDayReport } from "./utils/report-fixture.js";

const kinds = (report: Report) => findFindings(report).map((f) => f.kind);
const text = (report: Report, kind: string) => findFindings(report).find((f) => f.kind === kind)?.text;

describe("findFindings", () => {
  it("should find the game day's budget spent before the page and its page still firing long after recovery, and nothing else", () => {
    const report = buildGameDayReport();
    expect(kinds(report)).toEqual(["budget-before-page", "alert-kept-firing"]);
    expect(text(report, "budget-before-page")).toMatch(
      /^0\.\d+ % of analysis-availability-99's error budget was spent before burn-alert-pages paged \(\d+(\.\d)? % of the failed requests came before the page\)\.$/,
    );
    expect(text(report, "alert-kept-firing")).toMatch(
      /^AnalysisAPIErrorBudgetBurn was still firing when the run ended, 9 min 4 s after the last fault was rolled back/,
    );
  });

  it("should call out users seeing failures the server never counted, as in a table lock", () => {
    const report = buildGameDayReport();
    report.slos[0]!.perFault = [{ faultId: "variants-locked", clientErrorRatio: 1, serverErrorRatio: 0, budgetConsumed: 0.1 }];
    expect(text(report, "client-server-gap")).toBe(
      "While variants-locked was in place, users saw 100 % of requests fail, but the server counted 0 % (analysis-availability-99): " +
        "the difference never reached the server's metrics (requests queued, timed out or refused before the application counted them), so alerts on the server's ratio under-report this failure.",
    );
  });

  it("should say the server over-reports when it counts more failures than users saw", () => {
    const report = buildGameDayReport();
    report.slos[0]!.perFault = [{ faultId: "pool-exhausted", clientErrorRatio: 0.1, serverErrorRatio: 0.4, budgetConsumed: 0.1 }];
    expect(text(report, "client-server-gap")).toMatch(/the server counted 40 % of requests as failed but users saw 10 % fail .*over-report/);
  });

  it("should call out failures the server's metrics counted no request of, when its query answered", () => {
    const report = buildGameDayReport();
    report.slos[0]!.perFault = [{ faultId: "variants-locked", clientErrorRatio: 0.75, serverErrorRatio: null, budgetConsumed: 0.03 }];
    expect(text(report, "client-server-gap")).toBe(
      "While variants-locked was in place, users saw 75 % of requests fail, but the server's metrics counted no request at all (analysis-availability-99): " +
        "the requests never completed inside the application (queued, timed out or refused first), so an alert on the server's error ratio cannot see this failure.",
    );
    const failed = {
      ...report,
      timeline: [
        ...report.timeline,
        { at: report.endedAt, kind: "note", data: { message: "analysis-availability-99: server-side SLI 2025-11-20T14:02:00Z..: ECONNREFUSED" } },
      ],
    };
    expect(kinds(failed)).not.toContain("client-server-gap");
  });

  it("should call out users waiting far longer than the server measured, while the fault was in place", () => {
    const report = buildGameDayReport();
    const p99 = "job:genomics_api_p99_latency_seconds";
    report.series[p99] = report.series[p99]!.map(([t]) => [t, 0.2]);
    expect(text(report, "client-server-gap")).toBe(
      "While pool-exhausted was in place, users' p99 latency was 5.01 s but the server measured 200 ms (job:genomics_api_p99_latency_seconds): " +
        "the time was spent before the application's timer started (queued for a connection or a worker), so a latency alert on the server's histogram under-reports this slowdown.",
    );
  });

  it("should call out users waiting while the server's p99 had no value, as when no request finished", () => {
    const report = buildGameDayReport();
    const p99 = "job:genomics_api_p99_latency_seconds";
    const fault = report.faults[0]!;
    const [from, to] = [Date.parse(fault.injectedAt!) / 1000, Date.parse(fault.rolledBackAt!) / 1000];
    report.series[p99] = report.series[p99]!.filter(([t]) => t < from || t > to + 60).map(([t]) => [t, 0.2]);
    expect(text(report, "client-server-gap")).toBe(
      "While pool-exhausted was in place, users' p99 latency was 5.01 s, but the server's p99 (job:genomics_api_p99_latency_seconds) had no value at all (200 ms the rest of the run): " +
        "no request finished inside the application, so a latency alert on the server's histogram cannot see this slowdown.",
    );
    report.load!.samples = report.load!.samples.map((s) => ({ ...s, p99: 300 }));
    expect(kinds(report)).not.toContain("client-server-gap");
  });

  it("should say the server's latency over-reports when it measured far more than users waited", () => {
    const report = buildGameDayReport();
    report.load!.samples = report.load!.samples.map((s) => ({ ...s, p99: 300 }));
    expect(text(report, "client-server-gap")).toMatch(/the server measured a p99 of 4.95 s but users saw 300 ms .*over-reports what users waited/);
  });

  it("should not compare latencies within twice or 100 ms of each other, or with a server series that is no p99", () => {
    const report = buildGameDayReport();
    const p99 = "job:genomics_api_p99_latency_seconds";
    report.series[p99] = report.series[p99]!.map(([t]) => [t, 2.6]);
    expect(kinds(report)).not.toContain("client-server-gap");
    report.series = { "job:genomics_api_p50_latency_seconds": report.series[p99]!.map(([t]) => [t, 0.05]) };
    expect(kinds(report)).not.toContain("client-server-gap");
  });

  it("should not call a gap of 5 points or less a finding", () => {
    const report = buildGameDayReport();
    report.slos[0]!.perFault = [
      { faultId: "a", clientErrorRatio: 0.9, serverErrorRatio: 0.85, budgetConsumed: 0.1 },
      { faultId: "b", clientErrorRatio: 0.04, serverErrorRatio: null, budgetConsumed: 0.1 },
    ];
    expect(kinds(report)).not.toContain("client-server-gap");
  });

  it("should flag a pass that used 80 % or more of its deadline", () => {
    const report = buildGameDayReport();
    const metric = report.expectations.find((e) => e.id === "error-ratio-rises")!;
    metric.detectionLatencySeconds = 47.9;
    expect(kinds(report)).not.toContain("near-deadline");
    metric.detectionLatencySeconds = 51;
    expect(text(report, "near-deadline")).toBe(
      "error-ratio-rises passed with 9 s to spare: seen after 51 s of the 1 min allowed (85 %); one slower scrape or evaluation would fail it.",
    );
  });

  it("should scale the reset limit by the rules' compression, to no less than 30 s", () => {
    const report = buildGameDayReport();
    report.environment.rules = { ...report.environment.rules, compressed: true, factor: 30 };
    const recovered = Date.parse(report.faults[0]!.rolledBackAt!);
    report.alerts[0]!.resolvedAt = new Date(recovered + 25_000).toISOString();
    expect(kinds(report)).not.toContain("alert-kept-firing");
    report.alerts[0]!.resolvedAt = new Date(recovered + 45_000).toISOString();
    expect(text(report, "alert-kept-firing")).toMatch(
      /^AnalysisAPIErrorBudgetBurn resolved 45 s after the last fault was rolled back: .*the limit here is 30 s\)\.$/,
    );
    expect(text(report, "budget-before-page")).toMatch(/compressed ×30, so in production the page comes later/);
  });

  it("should give the production-scale page and reset beside a compressed run's own", () => {
    const report = buildCompressedGameDayReport();
    expect(text(report, "budget-before-page")).toMatch(
      /compressed ×30; replayed at production scale, AnalysisAPIErrorBudgetBurn pages after 6 min with 0\.72 % of the budget spent\.$/,
    );
    expect(text(report, "alert-kept-firing")).toMatch(/Replayed at production scale it resets 1 h 0 min after the fault\.$/);
  });

  it("should find nothing in a run without faults, load or alerts", () => {
    const report = buildGameDayReport();
    expect(findFindings({ ...report, faults: [], load: undefined, alerts: [], slos: [] })).toEqual([]);
  });
});
