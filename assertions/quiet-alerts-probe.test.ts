import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ResultPromise } from "execa";
import { startRealPrometheus, stopRealPrometheus } from "../test/real-prometheus.js";
import type { Endpoints } from "../core/environment.js";
import { steadyStateModel } from "../core/experiment-mapping.js";
import { Timeline } from "../core/timeline.js";
import { freePort } from "../env/shared/free-port.js";
import { PROBE_KEYS } from "../runner/experiment-schema.js";
import { planSteadyState } from "../test/expectations.js";
import { PrometheusClient } from "./clients/prometheus-client.js";
import { runExpectation, steadyStatePlan } from "./index.js";

/**
 * A real Prometheus with kube-prometheus's dead man's switch (Watchdog, `vector(1)`, firing from
 * the first evaluation on) and an alert the test switches on through a scraped gauge.
 */
const RULES = `groups:
  - name: meta
    rules:
      - alert: Watchdog
        expr: vector(1)
        labels: { severity: none }
  - name: disk
    rules:
      - alert: DiskAlmostFull
        expr: slo_harness_test_disk_full == 1
        labels: { severity: page }
`;

let diskFull = 0;
let target: Server;
let prometheus: ResultPromise | undefined;
let dir: string;
let endpoints: Endpoints;

async function firing(name: string, timeoutMs = 30_000): Promise<void> {
  const client = new PrometheusClient(endpoints.prometheus);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await client.query(`ALERTS{alertname="${name}", alertstate="firing"}`).catch(() => [])).length > 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} was not firing within ${timeoutMs / 1000}s`);
}

beforeAll(async () => {
  target = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(`# TYPE slo_harness_test_disk_full gauge\nslo_harness_test_disk_full ${diskFull}\n`);
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  const targetPort = (target.address() as { port: number }).port;
  dir = mkdtempSync(path.join(tmpdir(), "slo-harness-always-firing-"));
  writeFileSync(path.join(dir, "rules.yml"), RULES);
  writeFileSync(
    path.join(dir, "prometheus.yml"),
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nrule_files: [rules.yml]\nscrape_configs:\n  - job_name: disk\n    static_configs: [{ targets: ["127.0.0.1:${targetPort}"] }]\n`,
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  endpoints = { prometheus: url } as Endpoints;
  prometheus = (await startRealPrometheus(dir, port)).process;
  await firing("Watchdog");
}, 60_000);

afterAll(() => stopRealPrometheus(prometheus, target, dir));

const ctx = () => ({ endpoints, timeline: new Timeline() });

describe("no-alert-firing on a real Prometheus with a dead man's switch", () => {
  it("should pass while only Watchdog fires, and name it as ignored", async () => {
    const result = await runExpectation(planSteadyState("no-alert-firing", endpoints), ctx());
    expect([result.verdict, result.reason]).toEqual(["pass", undefined]);
    expect(result.evidence.map((e) => e.result).join(" ")).toContain("ignored 1 alert meant to always fire: Watchdog");
  }, 60_000);

  it("should fail on Watchdog when the experiment ignores no alert (alerts: { alwaysFiring: [] })", async () => {
    const plan = steadyStatePlan(steadyStateModel("no-alert-firing", PROBE_KEYS, []), endpoints);
    const result = await runExpectation(plan, ctx());
    expect(result.verdict).toBe("fail");
    expect(JSON.stringify(result.evidence)).toContain('alertname=\\"Watchdog\\"');
  }, 60_000);

  it("should fail when another alert fires beside Watchdog, naming that one", async () => {
    diskFull = 1;
    await firing("DiskAlmostFull");
    const result = await runExpectation(planSteadyState("no-alert-firing", endpoints), ctx());
    expect(result.verdict).toBe("fail");
    const evidence = result.evidence.map((e) => e.result).join(" ");
    expect(evidence).toContain('alertname="DiskAlmostFull"');
    expect(evidence).toContain("ignored 1 alert meant to always fire: Watchdog");
  }, 60_000);
});
