import type { Report } from "../core/report-schema.js";
import { compareReports, DEFAULT_THRESHOLDS } from "./compare-reports.js";
import { formatComparison } from "./compare-format.js";
import { buildGameDayReport } from "./utils/report-fixture.js";

function withLatency(report: Report, id: string, seconds: number): Report {
  const copy = structuredClone(report);
  copy.expectations.find((e) => e.id === id)!.detectionLatencySeconds = seconds;
  return copy;
}

describe("compareReports", () => {
  const baseline = buildGameDayReport();

  it("should find no regression against itself", () => {
    const c = compareReports(baseline, structuredClone(baseline));
    expect(c.regressions).toBe(0);
    expect(c.expectations.every((e) => e.change === "unchanged")).toBe(true);
  });

  it("should flag detection latency slower past both limits", () => {
    const c = compareReports(baseline, withLatency(baseline, "error-ratio-rises", 100));
    expect(c.expectations.find((e) => e.id === "error-ratio-rises")!.change).toBe("regressed");
    expect(c.regressions).toBe(1);
  });

  it("should not flag a slowdown past only one limit", () => {
    // 3.1 s → 9 s is ×2.9 but only 6 s; 167 s → 200 s is +33 s but only ×1.2.
    expect(compareReports(baseline, withLatency(baseline, "failing-db-spans-traced", 9)).regressions).toBe(0);
    expect(compareReports(baseline, withLatency(baseline, "burn-alert-pages", 200)).regressions).toBe(0);
  });

  it("should take its limits from the thresholds", () => {
    const strict = { ...DEFAULT_THRESHOLDS, latencySeconds: 5, latencyRatio: 1.1 };
    expect(compareReports(baseline, withLatency(baseline, "burn-alert-pages", 200), strict).regressions).toBe(1);
  });

  it("should report a much faster detection as an improvement", () => {
    const c = compareReports(withLatency(baseline, "burn-alert-pages", 400), baseline);
    expect(c.expectations.find((e) => e.id === "burn-alert-pages")!.change).toBe("improved");
  });

  it("should flag a pass that became a fail, and a fail that became a pass as improved", () => {
    const run = structuredClone(baseline);
    run.expectations[0]!.verdict = "fail";
    run.expectations.find((e) => e.id === "burn-alert-clears")!.verdict = "pass";
    const c = compareReports(baseline, run);
    expect(c.expectations.find((e) => e.id === "error-ratio-rises")!.change).toBe("regressed");
    expect(c.expectations.find((e) => e.id === "burn-alert-clears")!.change).toBe("improved");
  });

  it("should count a check the run no longer makes as a regression", () => {
    const run = structuredClone(baseline);
    run.expectations = run.expectations.filter((e) => e.id !== "pool-errors-logged");
    run.steadyState.after = [];
    const c = compareReports(baseline, run);
    expect(c.expectations.filter((e) => e.change === "missing").map((e) => e.id)).toEqual([
      "pool-errors-logged",
      "after:api-p99-under-2s",
      "after:no-alert-firing",
    ]);
    expect(c.regressions).toBe(3);
  });

  it("should flag budget burned past both limits, on each side", () => {
    const run = structuredClone(baseline);
    run.slos[0]!.server.budgetConsumed = baseline.slos[0]!.server.budgetConsumed! + 0.02;
    const c = compareReports(baseline, run);
    expect(c.budgets.map((b) => [b.side, b.change])).toEqual([
      ["client", "unchanged"],
      ["server", "regressed"],
    ]);
    expect(c.regressions).toBe(1);
  });

  it("should report an unmeasured budget without failing on it", () => {
    const run = structuredClone(baseline);
    run.slos[0]!.server.budgetConsumed = null;
    const c = compareReports(baseline, run);
    expect(c.budgets[1]!.change).toBe("missing");
    expect(c.regressions).toBe(0);
  });

  it("should refuse runs of different experiments", () => {
    const other = { ...baseline, experiment: { ...baseline.experiment, id: "pod-eviction" } };
    expect(() => compareReports(baseline, other)).toThrow('experiment.id: the baseline is "pool-exhaustion" and the run is "pod-eviction"');
  });
});

describe("formatComparison", () => {
  it("should list regressions first with the before and after values", () => {
    const text = formatComparison(compareReports(buildGameDayReport(), withLatency(buildGameDayReport(), "error-ratio-rises", 100)));
    const lines = text.split("\n");
    expect(lines[4]).toMatch(/^ {2}REGRESSED +error-ratio-rises +pass in 33 s → pass in 1 min 40 s \(\+1 min 7 s, ×3\.01\)$/);
    expect(text).toContain("regression = slower by more than 30 s and ×1.5; budget up by more than 0.5 % of the window and ×1.5");
    expect(lines.at(-1)).toBe("1 regression");
    expect(text).not.toContain("not like for like");
  });

  it("should say when the two runs were set up differently, so a change may be the setup's", () => {
    const run = buildGameDayReport();
    run.environment = { ...run.environment, provider: "kind", rules: { ...run.environment.rules, compressed: true, factor: 30 } };
    const c = compareReports(buildGameDayReport(), run);
    expect(c.run.setup).toBe("kind, rules ×30");
    expect(formatComparison(c).split("\n")[2]).toBe(
      "note: the baseline ran on local, the run on kind, rules ×30: their timings are not like for like, so a change may be the setup's",
    );
  });
});
