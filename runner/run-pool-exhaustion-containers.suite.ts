import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli, type CliResult } from "../test/cli.js";
import { ReportSchema, type Report } from "../core/report-schema.js";

/** Issue 8's bar: the article's incident on the testcontainers provider, local images, the same verdicts as locally. */
describe("slo-harness run experiments/pool-exhaustion.yaml --env testcontainers --images local", () => {
  const out = mkdtempSync(path.join(tmpdir(), "slo-harness-pool-tc-"));
  let result: CliResult;
  let report: Report;

  beforeAll(async () => {
    result = await runCli(["run", "experiments/pool-exhaustion.yaml", "--env", "testcontainers", "--images", "local", "--out", out]).result;
    report = ReportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")));
  }, 900_000);

  it("should pass every expectation and exit 0, as on the local provider", () => {
    expect(report.environment.provider).toBe("testcontainers");
    expect({ verdict: report.verdict, code: result.code, verdicts: report.expectations.map((e) => [e.id, e.verdict, e.reason]) }).toEqual({
      verdict: "pass",
      code: 0,
      verdicts: report.expectations.map((e) => [e.id, "pass", undefined]),
    });
    console.log(report.expectations.map((e) => `${e.id}: ${e.verdict} after ${e.detectionLatencySeconds ?? "-"} s`).join("\n"));
  });

  it("should inject both modes against the database container and roll each back", () => {
    expect(report.faults.map((f) => ({ id: f.id, verified: f.effectVerified, rolledBack: Boolean(f.rolledBackAt) }))).toEqual([
      { id: "pool-exhausted", verified: true, rolledBack: true },
      { id: "variants-locked", verified: true, rolledBack: true },
    ]);
  });
});
