import path from "node:path";
import { loadSloDir } from "../assertions/slo/index.js";
import { prometheusRuleFiles, repoRoot } from "../core/paths.js";
import type { FaultResult, LoadResult } from "../core/report-schema.js";
import { estimateProduction } from "./production-estimate.js";

const T0 = Date.parse("2026-12-03T10:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

/** 20 req/s for 6 minutes; from 60 s to 300 s (the fault) `failing` of each second's requests fail. */
function load(failing: number): LoadResult {
  const samples = Array.from({ length: 360 }, (_, i) => ({ t: at(i), requests: 20, errors: i >= 60 && i < 300 ? failing : 0, p50: 40, p99: 90 }));
  const errors = samples.reduce((n, s) => n + s.errors, 0);
  return {
    scenario: "steady",
    tool: "vegeta",
    target: "http://127.0.0.1:8000/health",
    requests: 7200,
    errors,
    errorRatio: errors / 7200,
    rps: 20,
    latency: { p50: 40, p90: 80, p95: 85, p99: 90, max: 120 },
    statusCodes: {},
    samples,
    thresholds: [],
  };
}

const fault: FaultResult = { id: "pool-exhausted", injector: "pool-exhaustion", params: {}, injectedAt: at(60), rolledBackAt: at(300), effectVerified: true };
const slos = loadSloDir(path.join(repoRoot, "slos")).filter((s) => s.name === "analysis-availability-99");

describe("estimateProduction", () => {
  it("should replay the observed fault, stretched by the factor, through the stack's real rules with promtool", async () => {
    const estimate = await estimateProduction({ ruleFiles: prometheusRuleFiles(), slos, faults: [fault], load: load(18), factor: 30 });
    expect(estimate?.error).toBeUndefined();
    expect(estimate?.profile).toEqual({ errorRatio: 0.9, durationSeconds: 7200, ratePerSecond: 20 });
    const page = estimate!.alerts.find((a) => a.alert === "AnalysisAPIErrorBudgetBurn")!;
    expect(page).toMatchObject({ slo: "analysis-availability-99", severity: "page", fired: true });
    // 1x over 1h for 5m: the Workbook's 40 s to cross plus `for`, at a 1m evaluation interval.
    expect(page.detectionSeconds).toBeGreaterThanOrEqual(300);
    expect(page.detectionSeconds).toBeLessThanOrEqual(480);
    expect(page.budgetAtDetection).toBeGreaterThan(0.01);
    expect(page.resetSeconds).toBeGreaterThan(0);
  }, 120_000);

  it("should give no estimate for an uncompressed run, a run without load or one whose faults never ended", async () => {
    const input = { ruleFiles: prometheusRuleFiles(), slos, faults: [fault], load: load(18), factor: 1 };
    expect(await estimateProduction(input)).toBeUndefined();
    expect(await estimateProduction({ ...input, factor: 30, load: undefined })).toBeUndefined();
    expect(await estimateProduction({ ...input, factor: 30, faults: [{ ...fault, rolledBackAt: undefined }] })).toBeUndefined();
  });

  it("should say why when the users saw no failure to replay", async () => {
    const estimate = await estimateProduction({ ruleFiles: prometheusRuleFiles(), slos, faults: [fault], load: load(0), factor: 30 });
    expect(estimate).toMatchObject({ alerts: [], error: "the users saw no failed request while the faults were in place: nothing to replay" });
  });
});
