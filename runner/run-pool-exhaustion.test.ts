import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli, type CliResult } from "../test/cli.js";
import { ReportSchema, type Report } from "../core/report-schema.js";

/** The article's incident on the local stack: both pool-exhaustion modes, every pillar, the page and its reset. */
describe("slo-harness run experiments/pool-exhaustion.yaml", () => {
  const out = mkdtempSync(path.join(tmpdir(), "slo-harness-pool-"));
  let result: CliResult;
  let report: Report;

  beforeAll(async () => {
    result = await runCli(["run", "experiments/pool-exhaustion.yaml", "--out", out]).result;
    report = ReportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")));
  }, 720_000);

  it("should pass and exit 0", () => {
    expect({
      verdict: report.verdict,
      code: result.code,
      failed: report.expectations.filter((e) => e.verdict !== "pass").map((e) => `${e.id}: ${e.reason}`),
    }).toEqual({ verdict: "pass", code: 0, failed: [] });
  });

  it("should inject both modes, verify each took effect and roll each back", () => {
    expect(report.faults.map((f) => ({ id: f.id, verified: f.effectVerified, rolledBack: Boolean(f.rolledBackAt), error: f.error }))).toEqual([
      { id: "pool-exhausted", verified: true, rolledBack: true, error: undefined },
      { id: "variants-locked", verified: true, rolledBack: true, error: undefined },
    ]);
    expect(report.faults[0]!.evidence).toMatch(/refused/);
    expect(report.faults[1]!.evidence).toMatch(/ACCESS EXCLUSIVE/);
  });

  it("should report a detection latency for the metric, trace, log and alert, and the alert's reset time", () => {
    const latency = (id: string) => report.expectations.find((e) => e.id === id)!.detectionLatencySeconds;
    for (const id of ["error-ratio-rises", "failing-db-spans-traced", "pool-errors-logged", "burn-alert-pages", "burn-alert-clears"]) {
      expect({ id, latency: typeof latency(id) }).toEqual({ id, latency: "number" });
    }
    // The page cannot come before the error ratio crosses the threshold.
    expect(latency("burn-alert-pages")!).toBeGreaterThan(latency("error-ratio-rises")!);
  });

  it("should date traces and logs by when they became visible, above the pipeline's floor, with when they happened beside it", () => {
    for (const id of ["failing-db-spans-traced", "pool-errors-logged"]) {
      const e = report.expectations.find((x) => x.id === id)!;
      // The SDK's 500 ms batch delay plus the collector's 1 s batch timeout: nothing is visible sooner.
      expect({ id, floor: e.detectionLatencySeconds! >= 1 }).toEqual({ id, floor: true });
      expect(new Date(e.occurredAt!).getTime()).toBeLessThanOrEqual(new Date(e.firstSeenAt!).getTime());
      expect(new Date(e.visibleAfter!).getTime()).toBeLessThanOrEqual(new Date(e.firstSeenAt!).getTime());
    }
    const traced = report.expectations.find((x) => x.id === "failing-db-spans-traced")!;
    expect(traced.coverage!.ratio).toBeGreaterThanOrEqual(0.8);
  });

  it("should find the database span dominating a locked request", () => {
    const slow = report.expectations.find((e) => e.id === "slow-db-span-dominates-locked-requests")!;
    expect(slow.evidence[0]!.result).toMatch(/SELECT .* took [\d.]+ s of [\d.]+ s/);
  });

  it("should measure the SLO both ways and say the rules were compressed", () => {
    const slo = report.slos[0]!;
    expect(slo.client.errorRatio).toBeGreaterThan(0.05);
    expect(slo.server.errorRatio).toBeGreaterThan(0.05);
    expect(slo.perFault.map((f) => f.faultId)).toEqual(["pool-exhausted", "variants-locked"]);
    expect(report.environment.rules).toMatchObject({ compressed: true, factor: 30 });
    expect(report.alerts.some((a) => a.name === "AnalysisAPIErrorBudgetBurn" && a.notifiedAt)).toBe(true);
  });
});
