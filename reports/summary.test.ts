import { summarizeReport } from "./summary.js";
import { buildCompressedGameDayReport, buildGameDayReport } from "./utils/report-fixture.js";

describe("summarizeReport", () => {
  const report = buildGameDayReport();
  const text = summarizeReport(report);

  it("should open with the verdict in words", () => {
    expect(text).toMatch(/^The experiment “The analysis API pages .*” failed: at least one expected signal was missing or late\./);
  });

  it("should say what load was sent and how much of it failed", () => {
    expect(text).toContain("For 15 min the load generator (vegeta) sent about 20 requests per second");
    expect(text).toMatch(/18,000 in all, of which 2\d\.\d % failed\./);
  });

  it("should count a thinned report's last bucket whole in how long the load ran", () => {
    const base = buildGameDayReport();
    const samples = [0, 600, 1200].map((s) => ({
      t: new Date(Date.parse(base.startedAt) + s * 1000).toISOString(),
      seconds: 600,
      requests: 12_000,
      errors: 0,
      p50: 40,
      p99: 90,
    }));
    expect(summarizeReport({ ...base, load: { ...base.load!, samples } })).toContain("For 30 min the load generator");
  });

  it("should say when the fault started and how long it lasted", () => {
    expect(text).toContain("We injected one fault: pool-exhausted (pool-exhaustion) 2 min into the run for 4 min.");
  });

  it("should give the fastest detection per signal", () => {
    expect(text).toContain("4 of 6 expectations held.");
    expect(text).toContain("The fault showed up in metrics after 33 s, traces after 3.1 s, logs after 1.2 s and alerts after 2 min 47 s.");
  });

  it("should not speak of a fault when none was injected", () => {
    const calm = summarizeReport({ ...report, faults: [] });
    expect(calm).toContain("No fault was injected.");
    expect(calm).toContain("The expected signals showed up in metrics after 33 s");
    expect(calm).not.toContain("The fault showed up");
  });

  it("should give the production-scale page time of a compressed run", () => {
    const compressed = buildCompressedGameDayReport();
    const { production: _replayed, ...withoutEstimate } = compressed;
    expect(summarizeReport(withoutEstimate)).toContain("so alert timings are scaled, not real.");
    expect(summarizeReport(withoutEstimate)).not.toContain("Replayed");
    expect(summarizeReport(compressed)).toContain(
      "Replayed through the rules as written, the same fault would page in production after about 6 min (AnalysisAPIErrorBudgetBurn), with 0.72 % of the error budget spent by then.",
    );
  });

  it("should name what failed and what could not be checked, with the reasons", () => {
    expect(text).toMatch(/Not met: burn-alert-clears \(still firing at the deadline/);
    expect(text).toMatch(/Could not be checked: pool-exhaustion-event-recorded \(no Kubernetes API/);
  });

  it("should give the error budget used from both sides", () => {
    expect(text).toMatch(/The run used 0\.\d+ % of analysis-availability-99's error budget as users saw it, 0\.\d+ % as the server measured it\./);
  });

  it("should say which faults a killed earlier run left in place were rolled back before the run began", () => {
    expect(text).not.toContain("killed earlier run");
    const recovered = {
      ...report,
      recoveredFaults: [
        {
          id: "api-paused",
          injector: "process",
          injectedAt: report.startedAt,
          leftBy: { experiment: "api-pause", provider: "local", runDir: "/r", pid: 7 },
          actions: [],
        },
        { id: "collector-paused", injector: "docker", injectedAt: report.startedAt, actions: [] },
      ],
    };
    expect(summarizeReport(recovered)).toContain(
      "Before it began, the harness rolled back 2 fault(s) a killed earlier run left in place: api-paused (process, left by api-pause) and collector-paused (docker).",
    );
  });

  it("should warn that alert timings are scaled when the rules were time-compressed", () => {
    expect(text).not.toContain("times faster");
    const compressed = { ...report, environment: { ...report.environment, rules: { compressed: true, factor: 12, files: [], warnings: [] } } };
    expect(summarizeReport(compressed)).toContain(
      "The alert rules ran 12 times faster than in production to fit the run, so alert timings are scaled, not real.",
    );
  });

  it("should say when a run was interrupted or injected nothing", () => {
    const partial = summarizeReport({ ...report, partial: true, faults: [], verdict: "inconclusive" });
    expect(partial).toContain("was inconclusive");
    expect(partial).toContain("The run was interrupted");
    expect(partial).toContain("No fault was injected.");
  });
});
