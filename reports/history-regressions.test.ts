import type { Report, Verdict } from "../core/report-schema.js";
import { findRegressions, type HistoryRun } from "./history-regressions.js";
import { buildGameDayReport } from "./utils/report-fixture.js";

// One minute of load is enough: the rule reads verdicts and detection latencies only.
const BASE = buildGameDayReport({ durationSeconds: 60 });

interface RunShape {
  /** Detection latency of the burn alert in seconds, or its verdict when it was not seen. */
  page?: number | Exclude<Verdict, "pass">;
  verdict?: Verdict;
  partial?: boolean;
  provider?: string;
  compressed?: number;
  experiment?: string;
  /** Runner pods of a distributed load. */
  runners?: number;
}

/** A run on day `day` of December with just the page expectation; the run passes unless told otherwise. */
function run(day: number, shape: RunShape = {}): HistoryRun {
  const report: Report = structuredClone(BASE);
  const page = report.expectations.find((e) => e.id === "burn-alert-pages")!;
  const seen = typeof shape.page === "number" || shape.page === undefined;
  page.verdict = seen ? "pass" : (shape.page as Verdict);
  if (seen) page.detectionLatencySeconds = (shape.page as number | undefined) ?? 160;
  else delete page.detectionLatencySeconds;
  report.expectations = [page];
  report.verdict = shape.verdict ?? (seen ? "pass" : page.verdict);
  report.partial = shape.partial ?? false;
  report.startedAt = `2026-12-${String(day).padStart(2, "0")}T02:00:00.000Z`;
  report.environment.provider = shape.provider ?? "local";
  if (shape.compressed) report.environment.rules = { ...report.environment.rules, compressed: true, factor: shape.compressed };
  if (shape.experiment) report.experiment.id = shape.experiment;
  if (shape.runners) {
    const perRunner = Array.from({ length: shape.runners }, (_, index) => ({
      index,
      expectedRequests: 20,
      requests: 20,
      errors: 0,
      state: "completed" as const,
    }));
    report.load = {
      ...report.load!,
      mode: "distributed",
      distributed: {
        runners: shape.runners,
        image: "slo-harness/load-runner:0.1.0",
        job: "genomics/load",
        target: "http://genomics-api.genomics.svc.cluster.local:8000",
        startAt: report.startedAt,
        askedRps: 20,
        perRunner,
        mergeMemoryMb: { heapBefore: 70, heapPeak: 78, rssPeak: 169 },
      },
    };
  }
  return { file: `${report.experiment.id}/${day}/report.json`, report };
}

const latencies = (...values: (number | Exclude<Verdict, "pass">)[]) => values.map((page, i) => run(i + 1, { page }));

describe("findRegressions", () => {
  it("should flag nothing for a first run, which has no baseline", () => {
    expect(findRegressions([run(1, { page: "fail" })])).toEqual([]);
  });

  it("should flag a verdict worse than the previous run's, for the run and the expectation, naming both runs", () => {
    expect(findRegressions([run(1), run(2, { page: "fail" })])).toEqual([
      {
        kind: "verdict",
        experiment: "pool-exhaustion",
        before: "pass",
        after: "fail",
        run: { startedAt: "2026-12-02T02:00:00.000Z", file: "pool-exhaustion/2/report.json" },
        against: { startedAt: "2026-12-01T02:00:00.000Z", file: "pool-exhaustion/1/report.json" },
      },
      expect.objectContaining({ kind: "verdict", expectation: "burn-alert-pages", before: "pass", after: "fail" }),
    ]);
  });

  it("should count pass → inconclusive and inconclusive → fail as worse, but not fail → inconclusive or a recovery", () => {
    const verdicts = (regressions: ReturnType<typeof findRegressions>) => regressions.map((r) => `${r.expectation ?? "run"} ${r.before} → ${r.after}`);
    expect(verdicts(findRegressions([run(1), run(2, { page: "inconclusive" })]))).toEqual(["run pass → inconclusive", "burn-alert-pages pass → inconclusive"]);
    expect(verdicts(findRegressions([run(1, { page: "inconclusive" }), run(2, { page: "fail" })]))).toEqual([
      "run inconclusive → fail",
      "burn-alert-pages inconclusive → fail",
    ]);
    expect(findRegressions([run(1, { page: "fail" }), run(2, { page: "inconclusive" })])).toEqual([]);
    expect(findRegressions([run(1, { page: "fail" }), run(2)])).toEqual([]);
  });

  it("should not flag a verdict as bad as the previous run's, however good older runs were", () => {
    expect(findRegressions([run(1), run(2, { page: "fail" }), run(3, { page: "fail" })])).toEqual([]);
  });

  it("should flag an expectation whose verdict got worse while the run's stayed failed", () => {
    const before = run(1, { verdict: "fail" });
    const after = run(2, { page: "fail" });
    expect(findRegressions([before, after])).toEqual([
      expect.objectContaining({ kind: "verdict", expectation: "burn-alert-pages", before: "pass", after: "fail" }),
    ]);
  });

  it("should flag detection slower than the median of the earlier passing runs, with the runs it is the median of", () => {
    const runs = latencies(160, 40, 170, 165, 168, 400);
    expect(findRegressions(runs)).toEqual([
      {
        kind: "latency",
        experiment: "pool-exhaustion",
        expectation: "burn-alert-pages",
        before: 165,
        after: 400,
        run: { startedAt: "2026-12-06T02:00:00.000Z", file: "pool-exhaustion/6/report.json" },
        against: [1, 2, 3, 4, 5].map((day) => ({ startedAt: `2026-12-0${day}T02:00:00.000Z`, file: `pool-exhaustion/${day}/report.json` })),
      },
    ]);
  });

  it("should flag a slower detection against a single earlier run", () => {
    expect(findRegressions(latencies(30, 100))).toEqual([expect.objectContaining({ kind: "latency", before: 30, after: 100 })]);
  });

  describe("noise it must not flag", () => {
    it("a fast signal a few seconds slower, however large the factor (one poll interval)", () => {
      expect(findRegressions(latencies(3, 2, 3, 8))).toEqual([]);
    });

    it("a slow alert a minute slower, a small factor (one rule evaluation)", () => {
      expect(findRegressions(latencies(600, 610, 590, 660))).toEqual([]);
    });

    it("a usual run after one unusually fast run", () => {
      // Against the previous run alone, 40 s → 172 s would be a regression.
      expect(findRegressions(latencies(170, 165, 168, 40, 172))).toEqual([]);
    });

    it("a run exactly at the limits: more than 30 s and more than ×1.5 are both needed", () => {
      expect(findRegressions(latencies(60, 90))).toEqual([]);
      expect(findRegressions(latencies(60, 91))).toEqual([expect.objectContaining({ kind: "latency", before: 60, after: 91 })]);
    });
  });

  it("should flag three slow runs in a row, then take them as the new normal", () => {
    const five = [60, 60, 60, 60, 60];
    expect(findRegressions(latencies(...five, 200))).toHaveLength(1);
    expect(findRegressions(latencies(...five, 200, 200))).toHaveLength(1);
    expect(findRegressions(latencies(...five, 200, 200, 200))).toHaveLength(1);
    expect(findRegressions(latencies(...five, 200, 200, 200, 200))).toEqual([]);
  });

  it("should leave runs in which the expectation did not pass out of the latency baseline", () => {
    const runs = [run(1, { page: 30 }), run(2, { page: "fail" }), run(3, { page: "inconclusive" }), run(4, { page: 100 })];
    expect(findRegressions(runs)).toEqual([
      expect.objectContaining({
        kind: "latency",
        before: 30,
        after: 100,
        against: [{ startedAt: "2026-12-01T02:00:00.000Z", file: "pool-exhaustion/1/report.json" }],
      }),
    ]);
  });

  describe("partial runs", () => {
    it("should not judge an interrupted newest run; the newest complete one is judged", () => {
      expect(findRegressions([run(1), run(2, { page: "inconclusive", partial: true })])).toEqual([]);
      expect(findRegressions([run(1), run(2, { page: "fail" }), run(3, { page: "inconclusive", partial: true })])).toHaveLength(2);
    });

    it("should neither compare with nor take a baseline from an interrupted run", () => {
      expect(findRegressions([run(1), run(2, { page: "fail", partial: true }), run(3)])).toEqual([]);
      const runs = [run(1, { page: 30 }), run(2, { page: 5, partial: true }), run(3, { page: 100 })];
      expect(findRegressions(runs)).toEqual([
        expect.objectContaining({ kind: "latency", before: 30, against: [expect.objectContaining({ file: "pool-exhaustion/1/report.json" })] }),
      ]);
    });
  });

  it("should compare only runs whose load came from the same place", () => {
    expect(findRegressions([run(1, { page: 30, runners: 3 }), run(2, { page: 170 })])).toEqual([]);
    expect(findRegressions([run(1, { page: 30, runners: 3 }), run(2, { page: 170, runners: 3 })])).toEqual([
      expect.objectContaining({ kind: "latency", before: 30, after: 170 }),
    ]);
  });

  it("should compare only runs on the same provider with the same rule compression", () => {
    expect(findRegressions([run(1, { page: 30, provider: "kind" }), run(2, { page: "inconclusive" })])).toEqual([]);
    expect(findRegressions([run(1, { page: 8, compressed: 60 }), run(2, { page: 170 })])).toEqual([]);
    expect(
      findRegressions([run(1, { page: 8, compressed: 60 }), run(2, { page: 170 }), run(3, { page: 12, compressed: 60 }), run(4, { page: 90, compressed: 60 })]),
    ).toEqual([expect.objectContaining({ kind: "latency", before: 10, after: 90 })]);
  });

  it("should order runs by their start, not by the order the files were found, and judge each experiment on its own", () => {
    const runs = [run(3, { page: 400 }), run(1, { experiment: "table-lock" }), run(1), run(2), run(2, { experiment: "table-lock", page: "fail" })];
    expect(findRegressions(runs).map((r) => `${r.experiment} ${r.kind} ${r.expectation ?? "run"}`)).toEqual([
      "pool-exhaustion latency burn-alert-pages",
      "table-lock verdict run",
      "table-lock verdict burn-alert-pages",
    ]);
  });
});
