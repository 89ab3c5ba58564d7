import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ResultPromise } from "execa";
import { startRealPrometheus, stopRealPrometheus } from "../../test/real-prometheus.js";
import { PrometheusClient } from "../clients/prometheus-client.js";
import { freePort } from "../../env/shared/free-port.js";
import type { BurnAlertPolicy } from "./burn-rate-policy.js";
import { workbookTimeToFireMs } from "./error-budget.js";
import { compressRuleText, describeRuleFiles } from "./rule-compressor.js";
import { generateRules, renderRuleFile } from "./rule-generator.js";
import type { SloDefinition } from "./slo-definition.js";
import { evaluateSlo } from "./slo-evaluator.js";

/**
 * A real Prometheus evaluating real compressed rules against a synthetic target whose
 * counters are exact functions of the clock: steady traffic, then errors at a chosen ratio.
 * The page must fire when the Workbook's formula, divided by the factor, says.
 */
const FACTOR = 60;
const RATE = 50;
const ERROR_RATIO = 0.5;
const SCRAPE_MS = 250;
const EVAL_MS = 1000;
// The compressed 1h window is 1m: it must be full of healthy traffic before the fault.
const WARMUP_MS = 65_000;
const PAGE: BurnAlertPolicy = { severity: "page", windows: [{ longWindow: "1h", shortWindow: "5m", burnRate: 14.4 }] };

const slo: SloDefinition = {
  name: "synthetic-availability-99",
  service: "synthetic",
  objective: 0.99,
  period: "30d",
  periodMs: 2_592_000_000,
  clientErrors: "5xx",
  source: "compression-live.test.ts",
  sli: {
    kind: "ratio",
    badQuery: 'sum(rate(slo_harness_synthetic_requests_total{job="synthetic", code="500"}[{{window}}]))',
    totalQuery: 'sum(rate(slo_harness_synthetic_requests_total{job="synthetic"}[{{window}}]))',
  },
};

let startedAt = 0;
let faultAt = 0;
let target: Server;
let prometheus: ResultPromise | undefined;
let dir: string;
let promUrl: string;
let rulesFile: string;

function counters(now: number): { ok: number; failed: number } {
  const total = (RATE * (now - startedAt)) / 1000;
  const failed = (ERROR_RATIO * RATE * Math.max(0, now - faultAt)) / 1000;
  return { ok: total - failed, failed };
}

beforeAll(async () => {
  startedAt = Date.now();
  faultAt = startedAt + WARMUP_MS;
  target = createServer((req, res) => {
    const c = counters(Date.now());
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(
      `# TYPE slo_harness_synthetic_requests_total counter\nslo_harness_synthetic_requests_total{code="200"} ${c.ok}\nslo_harness_synthetic_requests_total{code="500"} ${c.failed}\n`,
    );
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  const targetPort = (target.address() as { port: number }).port;

  dir = mkdtempSync(path.join(tmpdir(), "slo-harness-compression-"));
  rulesFile = path.join(dir, "compressed.rules.yml");
  const real = renderRuleFile(generateRules(slo, { policy: [PAGE] }), "compression-live.test.ts");
  writeFileSync(rulesFile, compressRuleText(real, FACTOR, "generated.rules.yml").text);
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  writeFileSync(
    path.join(dir, "prometheus.yml"),
    `global:\n  scrape_interval: ${SCRAPE_MS}ms\n  evaluation_interval: ${EVAL_MS}ms\nrule_files: [${rulesFile}]\nscrape_configs:\n  - job_name: synthetic\n    static_configs: [{ targets: ["127.0.0.1:${targetPort}"] }]\n`,
  );
  prometheus = (await startRealPrometheus(dir, port)).process;
}, 60_000);

afterAll(() => stopRealPrometheus(prometheus, target, dir));

describe("compressed burn-rate rules on a real Prometheus", () => {
  it("should fire the page within one evaluation and one scrape of the compressed formula", async () => {
    const client = new PrometheusClient(promUrl);
    const predictedMs = workbookTimeToFireMs(0.01, ERROR_RATIO, 3_600_000, 14.4) / FACTOR;
    let activeAt: number | undefined;
    const giveUp = faultAt + predictedMs + 30_000;
    while (activeAt === undefined && Date.now() < giveUp) {
      const firing = (await client.alerts()).find((a) => a.state === "firing" && a.labels.slo === slo.name);
      if (firing) activeAt = Date.parse(firing.activeAt);
      else await new Promise((r) => setTimeout(r, 250));
    }
    if (activeAt === undefined)
      throw new Error(`the compressed page did not fire within ${(giveUp - faultAt) / 1000}s of the fault (predicted ${predictedMs / 1000}s)`);
    const detectionMs = activeAt - faultAt;
    // Errors reach the rules only at the next scrape and are judged at the next evaluation.
    expect(detectionMs).toBeGreaterThanOrEqual(predictedMs - SCRAPE_MS);
    expect(detectionMs).toBeLessThanOrEqual(predictedMs + EVAL_MS + SCRAPE_MS);
  }, 150_000);

  it("should see the fault's error ratio server-side as the target produced it", async () => {
    const faultEnd = new Date(Math.min(Date.now(), faultAt + 15_000));
    const from = new Date(faultAt);
    const client = [{ t: faultAt, total: (RATE * (faultEnd.getTime() - faultAt)) / 1000, bad: (ERROR_RATIO * RATE * (faultEnd.getTime() - faultAt)) / 1000 }];
    const { result, errors } = await evaluateSlo({
      slo,
      start: from,
      end: faultEnd,
      faults: [],
      client,
      prometheus: new PrometheusClient(promUrl),
      timeCompression: FACTOR,
    });
    expect(errors).toEqual([]);
    expect(result.client.errorRatio).toBeCloseTo(ERROR_RATIO, 9);
    expect(result.server.errorRatio!).toBeGreaterThan(ERROR_RATIO - 0.05);
    expect(result.server.errorRatio!).toBeLessThan(ERROR_RATIO + 0.05);
    expect(result.discrepancy!).toBeLessThan(0.05);
  });

  it("should describe the run's rules as compressed by the factor", () => {
    expect(describeRuleFiles([rulesFile])).toMatchObject({ compressed: true, factor: FACTOR });
  });
});
