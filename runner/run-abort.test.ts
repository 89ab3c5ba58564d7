import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli, type CliResult } from "../test/cli.js";
import { ReportSchema, type Report } from "../core/report-schema.js";

const EXPERIMENT = `
title: Does the run stop, and put the database back, once the server mostly fails?
env: { provider: local }
allowlist: [postgres]
load: { scenario: steady, rate: 10/s, duration: 100s }
steadyState:
  before: [api-healthy]
  after: [api-healthy]
faults:
  - { id: pool-exhausted, injector: pool-exhaustion, target: postgres, with: { mode: connections, hold: 100% }, at: 10s, duration: 80s }
abort:
  - id: server-mostly-failing
    metric: 'job:genomics_api_error_ratio:rate1m > 0.3'
    for: 5s
expectations:
  - id: burn-alert-pages
    alert: { name: AnalysisAPIErrorBudgetBurn, state: firing }
    within: 80s of pool-exhausted.start
`;

/** A stop condition on the real local stack: the stack's own Prometheus says the server is failing, and the run ends early. */
describe("slo-harness run with an abort condition that holds", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-abort-run-"));
  let result: CliResult;
  let report: Report;
  let wallSeconds: number;

  beforeAll(async () => {
    writeFileSync(path.join(dir, "abort.yaml"), EXPERIMENT);
    const started = Date.now();
    result = await runCli(["run", path.join(dir, "abort.yaml"), "--out", path.join(dir, "out")]).result;
    wallSeconds = (Date.now() - started) / 1000;
    report = ReportSchema.parse(JSON.parse(readFileSync(path.join(dir, "out", "report.json"), "utf8")));
  }, 300_000);

  it("should stop at the condition, roll the fault back long before its planned end, and say so", () => {
    const fault = report.faults[0]!;
    const faultSeconds = (Date.parse(fault.rolledBackAt!) - Date.parse(fault.injectedAt!)) / 1000;
    const rollbackMs = Date.parse(fault.rolledBackAt!) - Date.parse(report.abortedBy!.at);
    console.log(
      `abort: ${report.abortedBy?.evidence}; fault held ${faultSeconds.toFixed(1)} s of 80 s, rolled back ${rollbackMs} ms after the condition held; run ${wallSeconds.toFixed(0)} s`,
    );
    expect(report.abortedBy).toEqual({
      id: "server-mostly-failing",
      at: expect.any(String),
      evidence: expect.stringMatching(
        /^job:genomics_api_error_ratio:rate1m > 0\.3 held for \d+ s \(for: 5s\): job:genomics_api_error_ratio:rate1m = (0\.\d+|1)/,
      ),
    });
    expect(faultSeconds).toBeLessThan(60);
    expect(rollbackMs).toBeGreaterThanOrEqual(0);
    expect(rollbackMs).toBeLessThan(5000);
    expect(report.summary).toContain("Its abort condition server-mostly-failing held");
  });

  it("should call an expectation cut short inconclusive, naming the condition, and check the steady state after", () => {
    const page = report.expectations[0]!;
    if (page.verdict !== "pass") expect(page.reason).toMatch(/the run was stopped \(abort condition server-mostly-failing held\)/);
    expect(report.steadyState.after.map((c) => ({ id: c.id, verdict: c.verdict }))).toEqual([{ id: "api-healthy", verdict: "pass" }]);
    expect(report.partial).toBe(false);
    expect(result.code).toBe(page.verdict === "pass" ? 0 : 3);
  });

  it("should show the stop in the HTML report's banner and in JUnit's properties", () => {
    const html = readFileSync(path.join(dir, "out", "report.html"), "utf8");
    expect(html).toContain("Stopped early by abort condition server-mostly-failing: every fault rolled back");
    const junit = readFileSync(path.join(dir, "out", "junit.xml"), "utf8");
    expect(junit).toMatch(/<property name="abortedBy" value="server-mostly-failing at \S+Z: job:genomics_api_error_ratio:rate1m &gt; 0\.3 held for/);
  });
});
