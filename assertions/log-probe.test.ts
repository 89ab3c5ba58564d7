import { LokiClient, VictoriaLogsClient } from "./clients/index.js";
import { LogProbe } from "./log-probe.js";
import { LokiBackend } from "./loki-backend.js";
import { VictoriaLogsBackend } from "./victoria-logs-backend.js";
import type { ProbeContext } from "./probe.js";
import { StubHttpServer } from "./utils/stub-http.js";
import type { Endpoints } from "../core/environment.js";
import { PrometheusClient } from "./clients/prometheus-client.js";

/** Diagnosis is not exercised here; misses are judged by the runner (real-stack tests cover it). */
const noPrometheus = new PrometheusClient("http://127.0.0.1:9");

const since = new Date(Date.now() - 60_000);
const at = (offsetMs: number) => new Date(since.getTime() + offsetMs);
const ctx = { endpoints: {} as Endpoints, since } as ProbeContext;
const TRACE = "5bf0163a727de4d8c7be8e9a3134088f";

describe("LogProbe on VictoriaLogs", () => {
  const vl = new StubHttpServer();
  let backend: VictoriaLogsBackend;

  beforeAll(async () => {
    backend = new VictoriaLogsBackend(new VictoriaLogsClient(await vl.start()));
  });
  afterAll(() => vl.stop());

  function answer(entries: Record<string, string>[]) {
    vl.on("/select/logsql/query", (_req, res) => res.writeHead(200).end(entries.map((e) => JSON.stringify(e)).join("\n")));
  }

  it("should measure coverage by the load's trace ids on lines in the store, and count only load lines with fromLoad", async () => {
    const other = "0af7651916cd43dd8448eb211c80319c";
    vl.on("/select/logsql/query", (req, res) => {
      const query = req.query.get("query")!;
      if (query.startsWith("trace_id:in(")) return void res.writeHead(200).end(JSON.stringify({ trace_id: TRACE }));
      res.writeHead(200).end(
        [
          { _msg: "x", _time: at(2500).toISOString(), trace_id: other },
          { _msg: "y", _time: at(2600).toISOString(), trace_id: TRACE },
        ]
          .map((e) => JSON.stringify(e))
          .join("\n"),
      );
    });
    const sent = [
      { traceId: TRACE, sentAt: at(2000), status: 200, latencyMs: 12 },
      { traceId: other.replace("0a", "0b"), sentAt: at(2100), status: 200, latencyMs: 12 },
    ];
    const probe = new LogProbe(backend, noPrometheus, { query: "*", fromLoad: true });
    const seen = (await probe.observe({ ...ctx, sentRequests: () => sent })).seen;
    expect(seen!.at).toEqual(at(2600));
    const coverage = await probe.coverage({ ...ctx, sentRequests: () => sent }, since, at(5000));
    expect(coverage).toMatchObject({ found: 1, checked: 2, ratio: 0.5, min: 0.8 });
    expect(vl.requests.at(-1)!.query.get("query")).toBe(`trace_id:in("${TRACE}","${other.replace("0a", "0b")}") | uniq by (trace_id)`);
  });

  it("should report the record's own _time and correlate its trace id", async () => {
    answer([
      {
        _msg: "variant analysis failed for patient P1: too many clients",
        _time: at(2500).toISOString().replace("Z", "123456Z"),
        trace_id: TRACE,
        "service.name": "genomics-api",
      },
      { _msg: "later", _time: at(4000).toISOString(), trace_id: "-" },
    ]);
    const seen = (
      await new LogProbe(backend, noPrometheus, { query: '"too many clients"' }).observe({
        ...ctx,
        sentRequests: () => [{ traceId: TRACE, sentAt: at(2000), status: 500, latencyMs: 12 }],
      })
    ).seen;
    expect(seen!.at).toEqual(at(2500));
    expect(seen!.evidence.traceIds).toEqual([TRACE]);
    expect(seen!.evidence.result).toMatch(
      /2 matching lines .*first: .* \[genomics-api\] trace_id=5bf0.* "variant analysis failed.*1 distinct trace ids; 1 of their trace ids were sent by the load/,
    );
    const sent = vl.requests.at(-1)!.query;
    expect(sent.get("query")).toBe('"too many clients" | sort by (_time) | limit 1000');
    expect(sent.get("start")).toBe(since.toISOString());
  });

  it("should count lines: first-seen is the time of the line that reached minLines", async () => {
    answer([0, 1000, 2000, 3000].map((ms) => ({ _msg: "x", _time: at(ms).toISOString() })));
    expect((await new LogProbe(backend, noPrometheus, { query: "x", minLines: 3 }).observe(ctx)).seen!.at).toEqual(at(2000));
    const probe = new LogProbe(backend, noPrometheus, { query: "x", minLines: 5 });
    const looked = await probe.observe(ctx);
    expect(looked.seen).toBeUndefined();
    expect(looked.miss!.result).toMatch(/4 matching lines, fewer than 5/);
  });

  it("should count only lines with a real trace id when asked, not the '-' placeholder", async () => {
    answer([
      { _msg: "Not Found: /analysis/NOPE", _time: at(100).toISOString(), trace_id: "-" },
      { _msg: `worker said trace_id=${TRACE} span_id=1`, _time: at(900).toISOString() },
    ]);
    const seen = (await new LogProbe(backend, noPrometheus, { query: "*", withTraceId: true }).observe(ctx)).seen;
    expect(seen!.at).toEqual(at(900));
    expect(seen!.evidence.traceIds).toEqual([TRACE]);
  });

  it("should name the matching lines that came without trace context when none has a trace id", async () => {
    answer([{ _msg: "variant analysis for patient P1", _time: at(100).toISOString(), trace_id: "-" }]);
    const probe = new LogProbe(backend, noPrometheus, { query: "*", withTraceId: true });
    const looked = await probe.observe(ctx);
    expect(looked.seen).toBeUndefined();
    expect(looked.miss!.result).toMatch(
      /^no matching line with a trace id since .*; 1 matching lines carry no trace id, e\.g\. .*variant analysis for patient P1/,
    );
  });

  it("should translate a LogQL stream selector and line filters to LogsQL", async () => {
    answer([]);
    const probe = new LogProbe(backend, noPrometheus, { query: '{service_name="genomics-api"} |= "too many clients"' });
    const looked = await probe.observe(ctx);
    expect(looked.seen).toBeUndefined();
    expect(vl.requests.at(-1)!.query.get("query")).toBe('service.name:="genomics-api" _msg:~"too many clients" | sort by (_time) | limit 1000');
    expect(looked.miss!.query).toMatch(/^VictoriaLogs service\.name:="genomics-api" _msg:~"too many clients" \[/);
  });

  it("should throw, naming VictoriaLogs, when the store errors", async () => {
    vl.json("/select/logsql/query", "cannot parse query", 400);
    await expect(new LogProbe(backend, noPrometheus, { query: "(" }).observe(ctx)).rejects.toThrow(/VictoriaLogs POST .*HTTP 400/);
  });
});

// Loki cannot run on this project's machines (AGPL); its backend is checked against this stub only.
describe("LogProbe on Loki (stubbed HTTP)", () => {
  const loki = new StubHttpServer();
  let backend: LokiBackend;
  const ns = (d: Date) => `${BigInt(d.getTime()) * 1_000_000n + 123_456n}`;

  beforeAll(async () => {
    backend = new LokiBackend(new LokiClient(await loki.start()));
  });
  afterAll(() => loki.stop());

  it("should send query_range forward in nanoseconds and read lines, labels and structured metadata", async () => {
    loki.json("/loki/api/v1/query_range", {
      status: "success",
      data: {
        resultType: "streams",
        result: [
          {
            stream: { service_name: "genomics-api" },
            values: [
              [ns(at(3000)), "second"],
              [ns(at(1500)), "first", { trace_id: TRACE, span_id: "ab" }],
            ],
          },
          { stream: { service_name: "genomics-api", level: "error" }, values: [[ns(at(2000)), `middle trace_id=${"c".repeat(32)}`]] },
        ],
      },
    });
    const seen = (await new LogProbe(backend, noPrometheus, { query: '{service_name="genomics-api"} |= "x"', minLines: 2 }).observe(ctx)).seen;
    expect(seen!.at).toEqual(at(2000));
    expect(seen!.evidence.traceIds).toEqual([TRACE, "c".repeat(32)]);
    expect(seen!.evidence.query).toMatch(/^Loki \{service_name="genomics-api"\} \|= "x" \[/);
    const q = loki.requests.at(-1)!.query;
    expect(q.get("query")).toBe('{service_name="genomics-api"} |= "x"');
    expect(q.get("direction")).toBe("forward");
    expect(q.get("start")).toBe(`${BigInt(since.getTime()) * 1_000_000n}`);
  });

  it("should refuse a metric query's matrix as a log answer", async () => {
    loki.json("/loki/api/v1/query_range", { status: "success", data: { resultType: "matrix", result: [] } });
    await expect(new LogProbe(backend, noPrometheus, { query: 'rate({a="b"}[1m])' }).observe(ctx)).rejects.toThrow(/returned matrix, expected log streams/);
  });

  it("should name Loki when it errors", async () => {
    loki.json("/loki/api/v1/query_range", "parse error", 400);
    await expect(new LogProbe(backend, noPrometheus, { query: "{" }).observe(ctx)).rejects.toThrow(/Loki GET .*HTTP 400/);
  });
});
