import { PrometheusClient } from "./clients/index.js";
import { MetricProbe } from "./metric-probe.js";
import type { ProbeContext } from "./probe.js";
import { StubHttpServer } from "./utils/stub-http.js";
import type { Endpoints } from "../core/environment.js";

/** A fake Prometheus whose one series has, at each evaluation time t (seconds), the value valueAt(t). */
function fakePrometheus(server: StubHttpServer, valueAt: (t: number) => number | undefined) {
  server.on("/api/v1/query_range", (req, res) => {
    const start = Number(req.query.get("start"));
    const end = Number(req.query.get("end"));
    const step = Number(req.query.get("step"));
    const values: [number, string][] = [];
    for (let t = start; t <= end + 1e-9; t += step) {
      const v = valueAt(t);
      if (v !== undefined) values.push([Math.round(t * 1000) / 1000, String(v)]);
    }
    const result = values.length ? [{ metric: { job: "genomics-api" }, values }] : [];
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "success", data: { resultType: "matrix", result } }));
  });
}

describe("MetricProbe", () => {
  const server = new StubHttpServer();
  let prometheus: PrometheusClient;
  const since = new Date(Date.now() - 60_000);
  const ctx = { endpoints: {} as Endpoints, since } as ProbeContext;
  const s = since.getTime() / 1000;

  beforeAll(async () => {
    prometheus = new PrometheusClient(await server.start());
  });
  afterAll(() => server.stop());

  it("should report the evaluation time of the first matching step, not the poll time", async () => {
    fakePrometheus(server, (t) => (t >= s + 12.3 ? 0.05 : 0.001));
    const probe = new MetricProbe(prometheus, { query: "job:genomics_api_error_ratio:rate1m", op: ">", value: 0.01 });
    const seen = (await probe.observe(ctx)).seen;
    expect(seen).toBeDefined();
    const lag = seen!.at.getTime() / 1000 - (s + 12.3);
    // 1 s steps find the edge, ten 0.1 s steps place it.
    expect(lag).toBeGreaterThanOrEqual(-0.001);
    expect(lag).toBeLessThan(0.101);
    expect(seen!.evidence.query).toBe("job:genomics_api_error_ratio:rate1m");
    expect(seen!.evidence.result).toMatch(/held from .*0\.05 \{job="genomics-api"\}/);
    expect(server.requests.slice(-2).map((r) => r.query.get("step"))).toEqual(["1", "0.1"]);
  });

  it("should report a condition that already held before `since` as pre-existing, one step early", async () => {
    fakePrometheus(server, () => 1);
    const seen = (await new MetricProbe(prometheus, { query: "x", op: ">", value: 0 }).observe(ctx)).seen;
    expect(seen!.at.getTime()).toBeLessThan(since.getTime());
    expect(seen!.evidence.result).toMatch(/already held before/);
  });

  it("should ignore a match that ended before `since`", async () => {
    fakePrometheus(server, (t) => (t < s ? 1 : 0));
    const probe = new MetricProbe(prometheus, { query: "x", op: ">", value: 0 });
    const looked = await probe.observe(ctx);
    expect(looked.seen).toBeUndefined();
  });

  it("should wait for the hold: first-seen is when the condition has held `for`", async () => {
    // True for 8 s, false, then true from +30 s onwards; a 10 s hold only completes at +40 s.
    fakePrometheus(server, (t) => ((t >= s + 5 && t < s + 13) || t >= s + 30 ? 1 : 0));
    const seen = (await new MetricProbe(prometheus, { query: "x", op: "==", value: 1, forMs: 10_000 }).observe(ctx)).seen;
    expect(seen!.at.getTime() / 1000 - (s + 40)).toBeGreaterThanOrEqual(0);
    expect(seen!.at.getTime() / 1000 - (s + 40)).toBeLessThan(1);
    expect(seen!.evidence.result).toMatch(/held 10\.0 s from/);
  });

  it("should find where the condition stops holding in clears mode", async () => {
    fakePrometheus(server, (t) => (t < s + 20 ? 0.5 : 0));
    const seen = (await new MetricProbe(prometheus, { query: "x", op: ">", value: 0.01, mode: "clears" }).observe(ctx)).seen;
    expect(seen!.at.getTime() / 1000 - (s + 20)).toBeGreaterThanOrEqual(0);
    expect(seen!.at.getTime() / 1000 - (s + 20)).toBeLessThan(1);
  });

  it("should not call a condition cleared that never held during the run, not even over a series that never existed", async () => {
    const probe = new MetricProbe(prometheus, { query: "x", op: ">", value: 0.01, mode: "clears" });
    const runStart = new Date(since.getTime() - 30_000);
    for (const valueAt of [() => 0, () => undefined]) {
      fakePrometheus(server, valueAt);
      const looked = await probe.observe({ ...ctx, runStart });
      expect(looked.seen).toBeUndefined();
      expect(looked.miss!.result).toContain(`x > 0.01 never held since the run started at ${runStart.toISOString()}`);
    }
  });

  it("should call a condition cleared that held earlier in the run and stopped before the anchor", async () => {
    fakePrometheus(server, (t) => (t > s - 25 && t < s - 10 ? 0.5 : 0));
    const seen = (
      await new MetricProbe(prometheus, { query: "x", op: ">", value: 0.01, mode: "clears" }).observe({ ...ctx, runStart: new Date(since.getTime() - 30_000) })
    ).seen;
    expect(seen!.evidence.result).toMatch(/already stopped holding before/);
  });

  it("should match any sample when there is no comparator", async () => {
    fakePrometheus(server, (t) => (t >= s + 3 ? 0 : undefined));
    const seen = (await new MetricProbe(prometheus, { query: 'ALERTS{alertstate="firing"}' }).observe(ctx)).seen;
    expect(Math.round(seen!.at.getTime() / 1000 - s)).toBe(3);
  });

  it("should keep what it saw on a miss: the range of values, or no data", async () => {
    fakePrometheus(server, () => 0.003);
    const probe = new MetricProbe(prometheus, { query: "x", op: ">", value: 0.01 });
    const looked = await probe.observe(ctx);
    expect(looked.seen).toBeUndefined();
    expect(looked.miss!.result).toMatch(/never > 0\.01 .*max 0\.003/);
    fakePrometheus(server, () => undefined);
    const again = await probe.observe(ctx);
    expect(again.miss!.result).toMatch(/no series .*no data/);
  });

  it("should throw when Prometheus answers with an error, naming Prometheus", async () => {
    server.json("/api/v1/query_range", { status: "error", errorType: "bad_data", error: "parse error" }, 400);
    await expect(new MetricProbe(prometheus, { query: "x >" }).observe(ctx)).rejects.toThrow(/Prometheus .*HTTP 400.*parse error/);
  });

  it("should describe itself as the condition", () => {
    expect(new MetricProbe(prometheus, { query: "x", op: ">", value: 0.01, forMs: 30_000 }).describe()).toBe("x > 0.01 for 30.0 s");
    expect(new MetricProbe(prometheus, { query: "x", op: ">", value: 0.01, mode: "clears" }).describe()).toBe("x > 0.01 stops holding");
  });
});
