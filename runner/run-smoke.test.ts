import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { spawn, type ChildProcess } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import axios from "axios";
import { runCli, type CliResult } from "../test/cli.js";
import { freePort } from "../env/shared/free-port.js";
import { eventually } from "../test/eventually.js";
import { ReportSchema, type Report } from "../core/report-schema.js";

/** The README's main job, end to end: the smoke game day on the local stack, pushed to a real Pushgateway. */
describe("slo-harness run experiments/smoke.yaml", () => {
  const out = mkdtempSync(path.join(tmpdir(), "slo-harness-smoke-"));
  let pushgateway: ChildProcess;
  let pushUrl: string;
  let result: CliResult;
  let run: ReturnType<typeof runCli> | undefined;
  let report: Report;

  beforeAll(async () => {
    const port = await freePort();
    pushUrl = `http://127.0.0.1:${port}`;
    pushgateway = spawn("/usr/bin/prometheus-pushgateway", [`--web.listen-address=127.0.0.1:${port}`], { stdio: "ignore" });
    await eventually(() => axios.get(`${pushUrl}/-/ready`, { proxy: false }), 15_000);
    run = runCli(["run", "experiments/smoke.yaml", "--out", out, "--keep", "--push", pushUrl]);
    result = await run.result;
    report = ReportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")));
  }, 300_000);

  afterAll(async () => {
    if (run?.child.exitCode === null) run.child.kill("SIGKILL");
    pushgateway?.kill();
    if (report) await runCli(["down", "--run-dir", report.environment.endpoints.runDir!]).result;
  });

  it("should pass and exit 0", () => {
    expect({ code: result.code, verdict: report.verdict }).toEqual({ code: 0, verdict: "pass" });
  });

  it("should write report.json, the HTML report and JUnit XML", () => {
    expect(existsSync(path.join(out, "report.html"))).toBe(true);
    expect(readFileSync(path.join(out, "junit.xml"), "utf8")).toMatch(/<testcase classname="smoke\.expectations\.alert" name="no-page-during-a-healthy-run: /);
  });

  it("should record the load, every expectation with evidence and the SLO two ways", () => {
    expect(report.load!.requests).toBeGreaterThanOrEqual(700);
    expect(report.load!.errors).toBe(0);
    expect(report.expectations.map((e) => [e.id, e.verdict])).toEqual([
      ["request-rate-is-recorded", "pass"],
      ["load-traces-reach-jaeger", "pass"],
      ["analysis-logs-reach-the-log-store", "pass"],
      ["error-ratio-stays-under-1-percent", "pass"],
      ["no-page-during-a-healthy-run", "pass"],
    ]);
    for (const e of report.expectations) expect(e.evidence.length).toBeGreaterThan(0);
    expect(report.expectations[1]!.detectionLatencySeconds).toBeLessThan(10);
    const slo = report.slos[0]!;
    expect(slo.client.errorRatio).toBe(0);
    expect(slo.server.errorRatio).toBe(0);
  });

  it("should have had its own metrics scraped by the stack's Prometheus during the run", async () => {
    const query = await axios.get(`${report.environment.endpoints.prometheus}/api/v1/query`, {
      params: { query: 'max_over_time(slo_harness_load_requests_total{job="slo-harness", experiment="smoke", outcome="success"}[10m])' },
      proxy: false,
    });
    expect(Number(query.data.data.result[0]?.value[1])).toBeGreaterThan(500);
  });

  it("should push the run's verdict to the Pushgateway", async () => {
    const metrics = (await axios.get<string>(`${pushUrl}/metrics`, { proxy: false, responseType: "text" })).data;
    expect(metrics).toMatch(/slo_harness_run_verdict\{[^}]*experiment="smoke"[^}]*verdict="pass"[^}]*\} 1/);
  });
});
