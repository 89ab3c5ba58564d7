import { describeRegression } from "./history-format.js";

const run = (day: number) => ({ startedAt: `2026-12-0${day}T02:00:00.000Z`, file: `2026120${day}T020000Z/report.json` });

describe("describeRegression", () => {
  it("should name the run's verdict change and both runs", () => {
    expect(describeRegression({ kind: "verdict", experiment: "pool-exhaustion", before: "pass", after: "fail", run: run(2), against: run(1) })).toBe(
      "pool-exhaustion: verdict pass → fail in the run of 2026-12-02 02:00:00 UTC (20261202T020000Z/report.json), " +
        "against the run before it, 2026-12-01 02:00:00 UTC (20261201T020000Z/report.json)",
    );
  });

  it("should name the expectation whose verdict got worse", () => {
    const line = describeRegression({
      kind: "verdict",
      experiment: "pool-exhaustion",
      expectation: "burn-alert-pages",
      before: "inconclusive",
      after: "fail",
      run: run(2),
      against: run(1),
    });
    expect(line).toMatch(/^pool-exhaustion › burn-alert-pages: verdict inconclusive → fail in the run of 2026-12-02/);
  });

  it("should say how much slower, against which baseline and which runs", () => {
    const base = { kind: "latency", experiment: "pool-exhaustion", expectation: "burn-alert-pages", before: 165, after: 400, run: run(4) } as const;
    expect(describeRegression({ ...base, against: [run(1), run(2), run(3)] })).toBe(
      "pool-exhaustion › burn-alert-pages: detected in 6 min 40 s (+3 min 55 s, ×2.4) in the run of 2026-12-04 02:00:00 UTC (20261204T020000Z/report.json), " +
        "against 2 min 45 s, the median of 3 runs from 2026-12-01 02:00:00 UTC (20261201T020000Z/report.json) to 2026-12-03 02:00:00 UTC (20261203T020000Z/report.json)",
    );
    expect(describeRegression({ ...base, before: 0, after: 45, against: [run(1)] })).toMatch(
      /detected in 45 s \(\+45 s\) in the run of .*, against 0 s, the run of 2026-12-01 02:00:00 UTC \(20261201T020000Z\/report\.json\)$/,
    );
  });
});
