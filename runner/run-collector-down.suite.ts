import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli, type CliResult } from "../test/cli.js";
import { ReportSchema, type Report } from "../core/report-schema.js";

/** Monitoring goes blind: the harness must say so, not pass and not report a plain failure. */
describe("slo-harness run experiments/collector-down.yaml", () => {
  const out = mkdtempSync(path.join(tmpdir(), "slo-harness-collector-"));
  let result: CliResult;
  let report: Report;
  const verdictOf = (id: string) => report.expectations.find((e) => e.id === id)!;

  beforeAll(async () => {
    result = await runCli(["run", "experiments/collector-down.yaml", "--out", out]).result;
    report = ReportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")));
  }, 600_000);

  it("should end inconclusive with exit code 3", () => {
    expect({ verdict: report.verdict, code: result.code }).toEqual({ verdict: "inconclusive", code: 3 });
  });

  it("should see the collector go down in its own scrape target", () => {
    expect(verdictOf("monitoring-sees-the-collector-down").verdict).toBe("pass");
  });

  it("should call the missing traces and logs inconclusive and name the blind collector as the cause", () => {
    for (const id of ["traces-during-the-outage", "logs-during-the-outage"]) {
      const e = verdictOf(id);
      expect({ id, verdict: e.verdict }).toEqual({ id, verdict: "inconclusive" });
      expect(e.reason).toMatch(/otel-collector/);
    }
  });

  it("should see traces flow again once the collector is restarted, and the API keep serving", () => {
    expect(verdictOf("traces-flow-again-after-restart").verdict).toBe("pass");
    expect(verdictOf("api-keeps-serving").verdict).toBe("pass");
    expect(report.faults[0]).toMatchObject({ id: "collector-killed", effectVerified: true });
    expect(report.faults[0]!.rolledBackAt).toBeDefined();
  });
});
