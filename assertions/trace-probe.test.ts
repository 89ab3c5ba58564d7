import { JaegerClient, type JaegerSpan, type JaegerTrace } from "./clients/index.js";
import { TraceProbe } from "./trace-probe.js";
import { attributeTime } from "./trace-analysis.js";
import type { ProbeContext } from "./probe.js";
import { StubHttpServer } from "./utils/stub-http.js";
import type { Endpoints } from "../core/environment.js";
import { PrometheusClient } from "./clients/prometheus-client.js";

/** Diagnosis is not exercised here; misses are judged by the runner (real-stack tests cover it). */
const noPrometheus = new PrometheusClient("http://127.0.0.1:9");

const since = new Date(Date.now() - 60_000);
const us = (offsetMs: number) => (since.getTime() + offsetMs) * 1000;

function span(id: string, op: string, startMs: number, durationMs: number, parent?: string, tags: Record<string, unknown> = {}): JaegerSpan {
  return {
    traceID: "",
    spanID: id,
    operationName: op,
    references: parent ? [{ refType: "CHILD_OF", traceID: "", spanID: parent }] : [],
    startTime: us(startMs),
    duration: durationMs * 1000,
    tags: Object.entries(tags).map(([key, value]) => ({ key, type: typeof value === "boolean" ? "bool" : "string", value })),
    processID: "p1",
  };
}

/** The article's trace: 4.2 s in all, 3.8 s of it one database query. */
function slowTrace(traceID: string, startMs: number, error = false): JaegerTrace {
  const spans = [
    span("a", "GET analysis/<str:patient_id>", startMs, 4200),
    span("b", "variant-analysis", startMs + 100, 4000, "a", error ? { error: true, "otel.status_code": "ERROR", "patient.id": "P1" } : { "patient.id": "P1" }),
    span("c", "SELECT", startMs + 150, 3800, "b", { "db.system": "postgresql" }),
  ].map((s) => ({ ...s, traceID }));
  return { traceID, spans, processes: { p1: { serviceName: "genomics-api", tags: [] } } };
}

describe("TraceProbe", () => {
  const jaeger = new StubHttpServer();
  let client: JaegerClient;
  const ctx = { endpoints: {} as Endpoints, since } as ProbeContext;

  beforeAll(async () => {
    client = new JaegerClient(await jaeger.start());
  });
  afterAll(() => jaeger.stop());

  it("should report when the earliest matching span ended and which span took the time", async () => {
    jaeger.json("/api/traces", { data: [slowTrace("t2", 9000), slowTrace("t1", 5000), slowTrace("t0", -2000)] });
    const seen = (await new TraceProbe(client, noPrometheus, { service: "genomics-api", operation: "variant-analysis" }).observe(ctx)).seen;
    // Evidence exists once the span has ended: t1's 4 s span started at +5.1 s.
    expect(seen!.at.getTime()).toBe(since.getTime() + 9100);
    expect(seen!.evidence.result).toMatch(
      /trace t1: variant-analysis ended .*, 4\.0 s; SELECT \(postgresql\) in genomics-api took 3\.8 s of 4\.2 s \(90 %\); 2 matching traces/,
    );
    expect(seen!.evidence.traceIds).toEqual(["t1", "t2"]);
    expect(seen!.evidence.url).toBe(`${client.baseUrl}/trace/t1`);
    const q = jaeger.requests.at(-1)!.query;
    expect([q.get("service"), q.get("operation"), q.get("limit")]).toEqual(["genomics-api", "variant-analysis", "200"]);
    expect(Number(q.get("start"))).toBe(since.getTime() * 1000);
  });

  it("should judge error status on the spans, not through Jaeger's tag search", async () => {
    jaeger.json("/api/traces", { data: [slowTrace("ok", 1000), slowTrace("bad", 3000, true)] });
    const seen = (await new TraceProbe(client, noPrometheus, { service: "genomics-api", operation: "variant-analysis", error: true }).observe(ctx)).seen;
    expect(seen!.evidence.traceIds).toEqual(["bad"]);
    expect(seen!.evidence.result).toMatch(/, error;/);
    expect(jaeger.requests.at(-1)!.query.get("tags")).toBeNull();
  });

  it("should apply tags and minimum duration to the same span, as Jaeger does", async () => {
    jaeger.json("/api/traces", { data: [slowTrace("t1", 1000)] });
    const hit = new TraceProbe(client, noPrometheus, { service: "genomics-api", tags: { "db.system": "postgresql" }, minDurationMs: 3000 });
    // The 3.8 s database span that started at +1.15 s.
    expect((await hit.observe(ctx)).seen!.at.getTime()).toBe(since.getTime() + 4950);
    expect(JSON.parse(jaeger.requests.at(-1)!.query.get("tags")!)).toEqual({ "db.system": "postgresql" });
    expect(jaeger.requests.at(-1)!.query.get("minDuration")).toBe("3000ms");
    const miss = new TraceProbe(client, noPrometheus, { service: "genomics-api", tags: { "db.system": "postgresql" }, minDurationMs: 5000 });
    const looked = await miss.observe(ctx);
    expect(looked.seen).toBeUndefined();
    expect(looked.miss!.result).toMatch(/no matching span .*Jaeger returned 1 traces/);
  });

  it("should keep to the trace ids the load sent", async () => {
    jaeger.json("/api/traces", { data: [slowTrace("mine", 3000), slowTrace("other", 1000)] });
    const sent = [
      { traceId: "mine", sentAt: new Date(since.getTime() + 2990), status: 200, latencyMs: 3000 },
      { traceId: "old", sentAt: new Date(since.getTime() - 5000), status: 200, latencyMs: 10 },
    ];
    const seen = (await new TraceProbe(client, noPrometheus, { service: "genomics-api", fromLoad: true }).observe({ ...ctx, sentRequests: () => sent })).seen;
    expect(seen!.evidence.traceIds).toEqual(["mine"]);
    expect(seen!.evidence.result).toMatch(/1 of the 1 trace ids the load sent match/);
  });

  it("should measure coverage as the answered load requests Jaeger holds, leaving out unanswered ones", async () => {
    const kept = new Set(["t0", "t1", "t2"]);
    jaeger.on("/api/traces/*", (req, res) => {
      const id = req.url!.split("/").pop()!.split("?")[0]!;
      if (kept.has(id)) res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: [slowTrace(id, 100)] }));
      else res.writeHead(404).end(JSON.stringify({ errors: [{ code: 404, msg: "trace not found" }] }));
    });
    const sent = Array.from({ length: 10 }, (_, i) => ({
      traceId: `t${i}`,
      sentAt: new Date(since.getTime() + 1000 + i * 100),
      status: i === 9 ? 0 : 200,
      latencyMs: 20,
    }));
    const probe = new TraceProbe(client, noPrometheus, { service: "genomics-api", fromLoad: true, minCoverage: 0.5 });
    const coverage = await probe.coverage({ ...ctx, sentRequests: () => sent }, since, new Date(since.getTime() + 10_000));
    expect(coverage).toMatchObject({ found: 3, checked: 9, answered: 9, min: 0.5 });
    expect(coverage!.ratio).toBeCloseTo(3 / 9);
    expect(
      await new TraceProbe(client, noPrometheus, { service: "genomics-api" }).coverage({ ...ctx, sentRequests: () => sent }, since, new Date()),
    ).toBeUndefined();
  });

  it("should refuse fromLoad without the load's trace ids, as a query error", async () => {
    await expect(new TraceProbe(client, noPrometheus, { service: "genomics-api", fromLoad: true }).observe(ctx)).rejects.toThrow(/no access to the trace ids/);
  });

  it("should look past a full page for older matches", async () => {
    const newest = Array.from({ length: 200 }, (_, i) => slowTrace(`n${i}`, 20_000 + i));
    jaeger.on("/api/traces", (req, res) => {
      const end = Number(req.query.get("end"));
      const data = end > us(20_000) ? newest : [slowTrace("oldest", 4000)];
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data }));
    });
    const seen = (await new TraceProbe(client, noPrometheus, { service: "genomics-api", operation: "SELECT" }).observe(ctx)).seen;
    expect(seen!.evidence.traceIds![0]).toBe("oldest");
  });
});

describe("attributeTime", () => {
  it("should credit overlapping children once and pick the span with the most self time", () => {
    const t = slowTrace("t", 0);
    t.spans.push({ ...span("d", "SELECT", 200, 1000, "b"), traceID: "t" });
    const a = attributeTime(t)!;
    expect(a.span.spanID).toBe("c");
    expect(a.traceUs).toBe(4_200_000);
    // b: 4000 - union([150,3950],[200,1200]) = 200 ms of self time.
    expect(a.selfUs).toBe(3_800_000);
  });
});
