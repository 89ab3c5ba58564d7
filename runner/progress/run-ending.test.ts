import type { Report } from "../../core/report-schema.js";
import { buildGameDayReport } from "../../reports/utils/report-fixture.js";
import { runEnding } from "./run-ending.js";
import { textTable } from "./text-table.js";

const REPORT_FILE = "/home/sre/slo-harness-reports/2025-11-20T14-00-00Z/report.html";

describe("runEnding", () => {
  it("should end with a table of expectations (verdict, detection latency, deadline as T+ and as written), why any did not pass, the verdict and the report's path", () => {
    expect(runEnding(buildGameDayReport({ durationSeconds: 60 }), REPORT_FILE)).toEqual([
      "",
      "expectation                     verdict       detected after  deadline",
      "error-ratio-rises               PASS          33 s            T+3:00 (1m after pool-exhausted.start)",
      "failing-db-spans-traced         PASS          3.1 s           T+3:00 (1m after pool-exhausted.start)",
      "pool-errors-logged              PASS          1.2 s           T+3:00 (1m after pool-exhausted.start)",
      "pool-exhaustion-event-recorded  INCONCLUSIVE  not seen        T+4:00 (2m after pool-exhausted.start)",
      "burn-alert-pages                PASS          2 min 47 s      T+12:00 (10m after pool-exhausted.start)",
      "burn-alert-clears               FAIL          not seen        T+14:01 (8m after pool-exhausted.end)",
      "  pool-exhaustion-event-recorded: inconclusive: no Kubernetes API: the local provider runs processes, not pods; run with --env kind to check events",
      "  burn-alert-clears: fail: still firing at the deadline: the rule's single 1 h window still held 23 % errors against a 1 % threshold; a multi-window burn-rate rule would have cleared in about 5 min",
      "  steady state after: no-alert-firing: fail: a page was still firing after the run",
      "FAIL after 1 min 5 s",
      `report: ${REPORT_FILE}`,
    ]);
  });

  it("should say when nothing was polled, what never took hold, and that an interrupted run's report is partial", () => {
    const base = buildGameDayReport({ durationSeconds: 60 });
    const report: Report = {
      ...base,
      partial: true,
      verdict: "inconclusive",
      expectations: [],
      steadyState: { before: base.steadyState.before, after: [] },
      faults: [{ ...base.faults[0]!, injectedAt: undefined, rolledBackAt: undefined, effectVerified: false }],
    };
    const lines = runEnding(report, REPORT_FILE);
    expect(lines.slice(1)).toEqual([
      "no expectation was polled",
      "  fault pool-exhausted: never injected",
      "INCONCLUSIVE after 1 min 5 s (interrupted: the report is partial)",
      `report: ${REPORT_FILE}`,
    ]);
  });

  it("should write stays-absent held as never seen, as the HTML report does", () => {
    const base = buildGameDayReport({ durationSeconds: 60 });
    const absent = { ...base.expectations[0]!, id: "no-5xx", kind: "stays-absent" as const, detectionLatencySeconds: undefined, firstSeenAt: undefined };
    expect(runEnding({ ...base, expectations: [absent] }, REPORT_FILE)[2]).toMatch(/^no-5xx {2,}PASS {2,}never \(as expected\) {2,}T\+3:00/);
  });
});

describe("textTable", () => {
  it("should pad every column but the last to its widest cell, header included", () => {
    expect(
      textTable(
        ["id", "verdict", "note"],
        [
          ["a-long-id", "PASS", "x"],
          ["b", "INCONCLUSIVE", ""],
        ],
      ),
    ).toEqual(["id         verdict       note", "a-long-id  PASS          x", "b          INCONCLUSIVE"]);
  });
});
