import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { planLoad } from "../scenario-registry.js";
import { LoadSpec } from "../../core/experiment-spec.js";
import { loadModel } from "../../core/experiment-mapping.js";
import { getTemplate } from "../../core/request-mapping.js";
import { k6Script, k6Thresholds } from "./k6-script.js";
import { combine } from "./test-run.js";

const spike = planLoad(loadModel(LoadSpec.parse({ scenario: "spike", rate: "20/s", peakRate: "200/s", duration: "50s" })));

function optionsOf(script: string): {
  scenarios: Record<string, { executor: string; startRate: number; stages: { duration: string; target: number }[] }>;
  thresholds: Record<string, string[]>;
} {
  return JSON.parse(/export const options = (\{[\s\S]*?\n\});/.exec(script)![1]!) as ReturnType<typeof optionsOf>;
}

describe("k6Script", () => {
  it("should be a module k6 (and any ES parser) accepts", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "k6-script-")), "script.mjs");
    writeFileSync(file, k6Script(spike, { baseUrl: "http://genomics-api.genomics.svc:8000" }).script);
    await expect(execa(process.execPath, ["--check", file])).resolves.toMatchObject({ exitCode: 0 });
  });

  it("should replay the plan's stages as arrival-rate steps held flat, totalling the plan's duration", () => {
    const { scenarios } = optionsOf(k6Script(spike, { baseUrl: "http://api:8000" }).script);
    const s = scenarios.spike!;
    expect(s.executor).toBe("ramping-arrival-rate");
    expect(s.startRate).toBe(spike.stages[0]!.ratePerSecond);
    const seconds = s.stages.reduce((sum, st) => sum + Number(st.duration.replace("s", "")), 0);
    expect(seconds).toBe(spike.stages.reduce((sum, st) => sum + Math.round(st.durationMs / 1000), 0));
    expect(Math.max(...s.stages.map((st) => st.target))).toBe(200);
    expect(s.stages.map((st) => st.target)).toEqual(spike.stages.flatMap((st) => [st.ratePerSecond, st.ratePerSecond]));
  });

  it("should send a W3C traceparent and print a summary line the harness reads back", () => {
    const { script } = k6Script(spike, { baseUrl: "http://api:8000/" });
    expect(script).toContain('const BASE_URL = "http://api:8000";');
    expect(script).toContain('traceparent: "00-" + traceId + "-" + spanId + "-01"');
    expect(script).toContain('"SLO_HARNESS_K6_SUMMARY "');
  });

  it("should refuse a closed-model (rate 0) stage", () => {
    expect(() =>
      k6Script(
        { scenario: "capacity", requests: [getTemplate("/")], params: {}, timeoutMs: 1000, stages: [{ ratePerSecond: 0, durationMs: 1000, workers: 4 }] },
        { baseUrl: "http://api" },
      ),
    ).toThrow("load.scenario: capacity: k6-operator runs open-model (arrival-rate) load only; every stage needs a rate above 0/s");
  });
});

describe("k6Thresholds and combine", () => {
  it("should take the tightest error budget of the ratio SLOs and the p99 line", () => {
    expect(
      k6Thresholds([
        { objective: 0.99, sli: { kind: "ratio" } },
        { objective: 0.999, sli: { kind: "ratio" } },
        { objective: 0.9, sli: { kind: "latency" } },
      ]),
    ).toEqual({
      http_req_failed: ["rate<=0.001"],
      http_req_duration: ["p(99)<2000"],
    });
  });

  it("should add runners' requests and failures and keep the worst percentiles", () => {
    expect(
      combine([
        { http_reqs: { values: { count: 100 } }, http_req_failed: { values: { rate: 0.1 } }, http_req_duration: { values: { "p(95)": 120, "p(99)": 300 } } },
        { http_reqs: { values: { count: 300 } }, http_req_failed: { values: { rate: 0 } }, http_req_duration: { values: { "p(95)": 150, "p(99)": 250 } } },
      ]),
    ).toEqual({ runners: 2, requests: 400, failedRate: 0.025, p95Ms: 150, p99Ms: 300 });
  });
});
