import { readFileSync } from "node:fs";
import axios from "axios";
import pg from "pg";
import { LocalEnvironment, type StartedLocalEnvironment } from "../env/local/index.js";
import type { Endpoints } from "../core/environment.js";
import { planExpectation, planSteadyState } from "../test/expectations.js";
import { Timeline } from "../core/timeline.js";
import { newTraceparent } from "../runner/stack-check.js";
import type { ExpectationResult } from "../core/report-schema.js";
import { runExpectation, type ExpectationContext } from "./index.js";
import { PrometheusClient, AlertReceiverClient, JaegerClient, VictoriaLogsClient } from "./clients/index.js";
import { sleep } from "./utils/times.js";

/**
 * Every probe against the real stack, each signal produced at a time the test knows, and the
 * probe's first-seen compared with that truth. First-seen is when a person could first have seen
 * the signal: for metrics and alerts the sample or evaluation Prometheus stored (the pipeline's
 * known delays, a 5 s scrape or Alertmanager's 10 s group_wait, are taken from the stack's own
 * schedule); for traces and logs the moment the backend first returned them, which the test
 * finds by asking the backend itself every 100 ms. Tolerance: ±1 s.
 */
describe("probes against the real stack, with known ground truth", () => {
  let env: StartedLocalEnvironment;
  let endpoints: Endpoints;
  const accuracy: { probe: string; truth: Date; reported: string | undefined }[] = [];
  const timeline = new Timeline();

  beforeAll(async () => {
    env = await new LocalEnvironment().start();
    endpoints = env.getEndpoints();
  });
  afterAll(async () => {
    await env?.stop();
    const rows = accuracy.map(
      (a) =>
        `${a.probe.padEnd(34)} truth ${a.truth.toISOString()} reported ${a.reported} error ${a.reported ? new Date(a.reported).getTime() - a.truth.getTime() : "-"} ms`,
    );
    console.log(`first-seen accuracy (reported - truth):\n${rows.join("\n")}`);
  });

  const ctx = (): ExpectationContext => ({ endpoints, timeline });
  /** The truth of visibility: the first moment the backend answers `found`, asked every 100 ms. */
  async function visibleWhen(found: () => Promise<boolean>, timeoutMs = 30_000): Promise<Date> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const askedAt = new Date();
      if (await found().catch(() => false)) return askedAt;
      await sleep(100);
    }
    throw new Error(`not visible within ${timeoutMs} ms`);
  }
  const inJaeger = (traceId: string) => async () => (await new JaegerClient(endpoints.jaeger).getTrace(traceId)) !== undefined;
  // From the anchor on, as the probe counts: the steady-state test's traffic logged the same patients earlier.
  const logLines =
    (logsql: string, since: Date, n = 1) =>
    async () =>
      (await new VictoriaLogsClient(endpoints.logs).query(logsql, { start: since, end: new Date(), limit: n })).length >= n;
  async function run(raw: Record<string, unknown>, anchorAt: Date, extra: Partial<ExpectationContext> = {}): Promise<ExpectationResult> {
    return runExpectation(planExpectation({ within: "30s of run-start", ...raw }, endpoints, anchorAt), { ...ctx(), ...extra });
  }
  function within1s(probe: string, result: ExpectationResult, truth: Date) {
    accuracy.push({ probe, truth, reported: result.firstSeenAt });
    expect(result.verdict).toBe("pass");
    expect(Math.abs(new Date(result.firstSeenAt!).getTime() - truth.getTime())).toBeLessThanOrEqual(1000);
  }
  const get = (path: string, headers: Record<string, string> = {}) =>
    axios.get(`${endpoints.api}${path}`, { headers, proxy: false, validateStatus: () => true, timeout: 10_000 });

  it("should hold the steady state: API healthy, targets up, p99 under 2 s, no alert firing, monitoring healthy", async () => {
    // Before anything slow runs. p99 is a rate over 5 minutes: without traffic going on it is NaN.
    let traffic = true;
    const load = (async () => {
      for (let i = 0; traffic && i < 200; i++) {
        await get(`/analysis/P0000${String((i % 20) + 1).padStart(2, "0")}`);
        await sleep(250);
      }
    })();
    const checks = ["api-healthy", "targets-up", { id: "api-p99-under-2s", metric: "job:genomics_api_p99_latency_seconds < 2" }, "no-alert-firing"].map((c) =>
      planSteadyState(c, endpoints),
    );
    const results = await Promise.all(checks.map((plan) => runExpectation(plan, ctx()))).finally(() => (traffic = false));
    await load;
    expect(results.map((r) => [r.id, r.verdict, r.reason])).toEqual(checks.map((c) => [c.def.id, "pass", undefined]));
    const monitoring = await run({ id: "monitoring-sees", monitoring: { check: "all" } }, new Date());
    expect(monitoring.verdict).toBe("pass");
    expect(monitoring.evidence[0]!.result).toMatch(/no refused, failed or dropped telemetry/);
  });

  it("should see a PromQL condition at the instant it became true (time()-based, exact truth)", async () => {
    const anchorAt = new Date();
    const truth = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2500);
    const result = await run({ id: "clock-passes-t", metric: `vector(time()) > ${truth.getTime() / 1000}`, within: "20s of run-start" }, anchorAt);
    within1s("metric: vector(time()) > T", result, truth);
    // Evaluated on steps at or after the sample, first-seen can only lag the truth, never lead it.
    expect(new Date(result.firstSeenAt!).getTime()).toBeGreaterThanOrEqual(truth.getTime());
    expect(result.evidence[0]!.query).toBe(`vector(time())`);
  });

  it("should see a sample pushed over OTLP at its scrape time, within a scrape interval of the push", async () => {
    const anchorAt = new Date();
    await sleep(500);
    const pushedAt = new Date();
    const body = {
      resourceMetrics: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "slo-harness-test" } }] },
          scopeMetrics: [
            {
              scope: { name: "ground-truth" },
              metrics: [
                { name: "slo_harness_test_signal", gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: `${BigInt(pushedAt.getTime()) * 1_000_000n}` }] } },
              ],
            },
          ],
        },
      ],
    };
    await axios.post(`${endpoints.collector}/v1/metrics`, body, { proxy: false });
    const result = await run({ id: "otlp-signal-scraped", metric: "slo_harness_test_signal > 0", within: "20s of run-start" }, anchorAt);
    // Truth: the timestamp of the first sample Prometheus stored, from the raw series.
    const raw = await axios.get(`${endpoints.prometheus}/api/v1/query`, { params: { query: "slo_harness_test_signal[2m]" }, proxy: false });
    const firstSample = new Date(raw.data.data.result[0].values[0][0] * 1000);
    within1s("metric: OTLP gauge, scrape time", result, firstSample);
    accuracy.push({ probe: "metric: OTLP gauge, push time", truth: pushedAt, reported: result.firstSeenAt });
    const lag = new Date(result.firstSeenAt!).getTime() - pushedAt.getTime();
    // Collector batch (1 s) + scrape interval (5 s) + the 1 s step.
    expect([lag >= 0, lag <= 7000]).toEqual([true, true]);
  });

  it("should see a traced request when its span ends and name the database query that took the time", async () => {
    const traced = newTraceparent();
    const admin = new pg.Client({ connectionString: endpoints.postgres });
    await admin.connect();
    const anchorAt = new Date();
    let sentAt: Date;
    let answeredAt: Date;
    try {
      // Holding the table makes the API's one query wait: the slow span is known in advance.
      await admin.query("BEGIN");
      await admin.query("LOCK TABLE variants IN ACCESS EXCLUSIVE MODE");
      sentAt = new Date();
      const response = get("/analysis/P000007", { traceparent: traced.header });
      await sleep(1500);
      await admin.query("COMMIT");
      expect((await response).status).toBe(200);
      answeredAt = new Date();
    } finally {
      await admin.end();
    }
    const sentRequests = () => [{ traceId: traced.traceId, sentAt, status: 200, latencyMs: answeredAt.getTime() - sentAt.getTime() }];
    const [result, visible] = await Promise.all([
      run(
        {
          id: "slow-analysis-traced",
          trace: { service: "genomics-api", operation: "variant-analysis", minDuration: "1s", tags: { "patient.id": "P000007" }, fromLoad: true },
        },
        anchorAt,
        { sentRequests, settleMs: 0 },
      ),
      visibleWhen(inJaeger(traced.traceId)),
    ]);
    within1s("trace: visible in Jaeger", result, visible);
    // What happened: the span ended when the lock was released, before the answer came back.
    expect(Math.abs(new Date(result.occurredAt!).getTime() - answeredAt!.getTime())).toBeLessThanOrEqual(1000);
    expect(result.coverage).toMatchObject({ found: 1, checked: 1 });
    expect(result.evidence[0]!.traceIds).toEqual([traced.traceId]);
    expect(result.evidence[0]!.result).toMatch(/SELECT \(postgresql\) in genomics-api took 1\.\d s of 1\.\d s \((8|9|10)\d? %\)/);
  });

  it("should find an error span by status, which Jaeger's tag search cannot", async () => {
    const traced = newTraceparent();
    const anchorAt = new Date();
    const sentAt = new Date();
    // A NUL in the patient id makes psycopg2 raise before the query runs: an error span, a 500 and an error log.
    expect((await get("/analysis/P%00E", { traceparent: traced.header })).status).toBe(500);
    const [result, visible] = await Promise.all([
      run({ id: "failing-analysis-traced", trace: { service: "genomics-api", operation: "variant-analysis", error: true } }, anchorAt),
      visibleWhen(inJaeger(traced.traceId)),
    ]);
    within1s("trace: error span visible", result, visible);
    expect(Math.abs(new Date(result.occurredAt!).getTime() - sentAt.getTime())).toBeLessThanOrEqual(1000);
    expect(result.evidence[0]!.traceIds).toContain(traced.traceId);
    const logged = await run({ id: "failure-logged-with-trace", log: { query: '"Internal Server Error"', withTraceId: true } }, anchorAt);
    expect(logged.verdict).toBe("pass");
    expect(logged.evidence[0]!.traceIds).toContain(traced.traceId);
  });

  it("should see the API's per-analysis log line at its record time, queried in LogsQL and in LogQL", async () => {
    const traced = newTraceparent();
    const anchorAt = new Date();
    const sentAt = new Date();
    expect((await get("/analysis/P000011", { traceparent: traced.header })).status).toBe(200);
    const answeredAt = new Date();
    const query = 'service.name:="genomics-api" "variant analysis for patient P000011"';
    const [logsql, visible] = await Promise.all([run({ id: "analysis-logged", log: query }, anchorAt), visibleWhen(logLines(query, anchorAt))]);
    // The line is written as the analysis finishes: between the request and its response.
    const happened = new Date(logsql.occurredAt!).getTime();
    expect([happened >= sentAt.getTime(), happened <= answeredAt.getTime()]).toEqual([true, true]);
    within1s("log: analysis line visible", logsql, visible);
    expect(new Date(logsql.firstSeenAt!).getTime()).toBeGreaterThan(happened);
    expect(logsql.evidence[0]!.traceIds).toEqual([traced.traceId]);
    // Asked in LogQL once the line is there: the same line, the same moment it happened.
    const logql = await run({ id: "analysis-logged-logql", log: '{service_name="genomics-api"} |= "for patient P000011 found"' }, anchorAt);
    expect(logql.occurredAt).toBe(logsql.occurredAt);
  });

  it("should date a line count by the line that completed it", async () => {
    const anchorAt = new Date();
    const answered: Date[] = [];
    for (let i = 0; i < 3; i++) {
      expect((await get("/analysis/P000012")).status).toBe(200);
      answered.push(new Date());
      await sleep(700);
    }
    const query = '"variant analysis for patient P000012"';
    const [result, visible] = await Promise.all([
      run({ id: "three-analyses-logged", log: { query, minLines: 3 } }, anchorAt),
      visibleWhen(logLines(query, anchorAt, 3)),
    ]);
    within1s("log: 3rd line of a count visible", result, visible);
    expect(Math.abs(new Date(result.occurredAt!).getTime() - answered[2]!.getTime())).toBeLessThanOrEqual(1000);
    expect(new Date(result.occurredAt!).getTime()).toBeGreaterThan(answered[1]!.getTime());
  });

  it("should see an alert fire, page and resolve at the rule evaluations that made it so", async () => {
    const t1 = Date.now() + 4000;
    const t2 = t1 + 25_000;
    const rule = `groups:
  - name: slo-harness-ground-truth
    rules:
      - alert: SloHarnessTestWindow
        expr: (vector(time()) > ${t1 / 1000}) < ${t2 / 1000}
        labels: { severity: page, service: slo-harness-test }
`;
    const stackRules = readFileSync(new URL("../env/stack/rules/genomics-api.rules.yml", import.meta.url), "utf8");
    await env.applyRules([
      { name: "genomics-api.rules.yml", content: stackRules },
      { name: "ground-truth.rules.yml", content: rule },
    ]);
    const [anchorAt, labels] = [new Date(), { severity: "page" }];
    const [firing, notified, resolved] = await Promise.all([
      run({ id: "test-alert-fires", alert: { name: "SloHarnessTestWindow", labels, state: "firing" } }, anchorAt),
      run({ id: "test-alert-pages", alert: { name: "SloHarnessTestWindow", labels, state: "notified" } }, anchorAt),
      // Anchored at T2, when the condition stops holding: the reset time is measured from there.
      sleep(t2 - Date.now()).then(() =>
        run({ id: "test-alert-clears", kind: "resolves", alert: { name: "SloHarnessTestWindow" }, within: "20s of run-start" }, new Date(t2)),
      ),
    ]);
    // Truth from Prometheus' own schedule: the group evaluates every 5 s from its last evaluation.
    const group = (await new PrometheusClient(endpoints.prometheus).ruleGroups()).find((g) => g.name === "slo-harness-ground-truth")!;
    const last = new Date(group.lastEvaluation!).getTime();
    const evalAfter = (t: number, strict: boolean) => last + Math.ceil((t - last) / (group.interval * 1000) + (strict ? 1e-9 : 0)) * group.interval * 1000;
    const firedAt = new Date(evalAfter(t1, true));
    within1s("alert: firing (ALERTS)", firing, firedAt);
    // At the firing evaluation itself Alertmanager has not been told yet; by the page it has.
    expect(notified.evidence[0]!.result).toMatch(/Alertmanager: active, startsAt/);
    // Paged when Alertmanager's 10 s group_wait ran out, as the receiver recorded it.
    const page = (await new AlertReceiverClient(endpoints.alertReceiver).notifications()).find((n) =>
      n.payload.alerts.some((a) => a.labels.alertname === "SloHarnessTestWindow" && a.status === "firing"),
    )!;
    expect(notified.firstSeenAt).toBe(new Date(page.receivedAt).toISOString());
    within1s("alert: notified (webhook)", notified, new Date(firedAt.getTime() + 10_000));
    within1s("alert: resolved (ALERTS)", resolved, new Date(evalAfter(t2, false)));
  });
});
