import { Timeline } from "../runner/timeline.js";
import { ExpectationResultSchema } from "../runner/report-schema.js";
import type { Endpoints } from "../env/environment.js";
import type { Observation, Probe, ProbeContext, Signal } from "./probe.js";
import { runExpectation, type ExpectationContext, type ExpectationPlan } from "./expectation-runner.js";
import type { MonitoringStatus } from "./monitoring-status.js";
import { QueryError } from "./utils/errors.js";

/** A probe that answers from a script: each poll gets the time since the anchor in ms. */
class ScriptedProbe implements Probe {
  calls = 0;
  contexts: ProbeContext[] = [];
  constructor(readonly signal: Signal, private readonly script: (elapsedMs: number, since: Date) => Observation | undefined | Error) {}
  describe() {
    return `scripted ${this.signal}`;
  }
  lastMiss() {
    return { query: "scripted", result: "nothing yet" };
  }
  async observe(ctx: ProbeContext) {
    this.calls++;
    this.contexts.push(ctx);
    const out = this.script(Date.now() - ctx.since.getTime(), ctx.since);
    if (out instanceof Error) throw out;
    return out;
  }
}

const endpoints = {} as Endpoints;
const evidence = { query: "q", result: "seen" };

function plan(probe: Probe, overrides: Partial<ExpectationPlan["def"]> = {}, anchorAt: Date | "never" = new Date()): ExpectationPlan {
  return { def: { id: "e1", kind: "appears", within: "1s", ...overrides }, probe, anchor: async () => (anchorAt === "never" ? undefined : anchorAt), deadlineLabel: "1s of run-start" };
}

function context(overrides: Partial<ExpectationContext> = {}): ExpectationContext & { timeline: Timeline } {
  return { endpoints, timeline: new Timeline(), pollIntervalMs: 50, ingestGraceMs: 200, maxBlindGapMs: 500, maxBackoffMs: 100, ...overrides } as ExpectationContext & { timeline: Timeline };
}

describe("runExpectation", () => {
  it("should pass appears with first-seen from the observation's own time, not the poll's", async () => {
    const probe = new ScriptedProbe("metric", (ms, since) => (ms > 300 ? { at: new Date(since.getTime() + 120), evidence } : undefined));
    const ctx = context();
    const result = await runExpectation(plan(probe), ctx);
    expect(ExpectationResultSchema.parse(result)).toEqual(result);
    expect(result).toMatchObject({ verdict: "pass", signal: "metric", kind: "appears", detectionLatencySeconds: 0.12, errors: 0, evidence: [evidence] });
    expect(result.polls).toBeGreaterThan(3);
    expect(ctx.timeline.events().map((e) => e.kind)).toEqual(["expectation-started", "expectation-first-seen", "expectation-verdict"]);
    expect(ctx.timeline.first("expectation-first-seen", "e1")!.at).toBe(result.firstSeenAt);
  });

  it("should poll a slow backend less often, yet still poll at the end of the window", async () => {
    // Each poll takes 100 ms: the next waits ~3230 ms instead of 50 ms, so polling is ~3 % of the time.
    const pollTimes: number[] = [];
    const probe = new ScriptedProbe("trace", () => undefined);
    const slow: Probe = { signal: "trace", describe: () => "slow", observe: async (c) => (pollTimes.push(Date.now()), await new Promise((r) => setTimeout(r, 100)), probe.observe(c)) };
    const started = Date.now();
    const result = await runExpectation(plan(slow, { within: "5s" }), context({ ingestGraceMs: 0 }));
    expect(result.verdict).toBe("fail");
    expect(result.polls).toBe(3);
    const gaps = pollTimes.slice(1).map((t, i) => t - pollTimes[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(3200);
    expect(pollTimes.at(-1)! - started).toBeGreaterThanOrEqual(4950);
  });

  it("should pass the anchor as `since` and the load's trace ids to the probe", async () => {
    const probe = new ScriptedProbe("trace", () => undefined);
    const anchorAt = new Date(Date.now() - 900);
    const sentTraceIds = () => [{ traceId: "a".repeat(32), sentAt: new Date() }];
    await runExpectation(plan(probe, {}, anchorAt), context({ sentTraceIds }));
    expect(probe.contexts[0]!.since).toEqual(anchorAt);
    expect(probe.contexts[0]!.sentTraceIds).toBe(sentTraceIds);
  });

  it("should fail appears at the deadline with the last miss as evidence", async () => {
    const result = await runExpectation(plan(new ScriptedProbe("log", () => undefined)), context());
    expect(result).toMatchObject({ verdict: "fail", evidence: [{ query: "scripted", result: "nothing yet" }] });
    expect(result.reason).toMatch(/not seen between/);
    expect(result.firstSeenAt).toBeUndefined();
  });

  it("should keep polling through the ingestion grace for a signal that happened before the deadline", async () => {
    // Found only 1.1 s after the anchor (past the 1 s deadline) but stamped at 0.9 s: in time.
    const probe = new ScriptedProbe("trace", (ms, since) => (ms > 1100 ? { at: new Date(since.getTime() + 900), evidence } : undefined));
    expect((await runExpectation(plan(probe), context({ ingestGraceMs: 400 }))).verdict).toBe("pass");
  });

  it("should retry a failing backend with backoff and pass when it recovers, saying so", async () => {
    const probe = new ScriptedProbe("metric", (ms, since) => (ms < 250 ? new Error("Prometheus GET /api/v1/query_range: ECONNREFUSED") : { at: new Date(since.getTime() + 400), evidence }));
    const ctx = context();
    const result = await runExpectation(plan(probe), ctx);
    expect(result.verdict).toBe("pass");
    expect(result.errors).toBeGreaterThan(0);
    expect(result.evidence[1]!.result).toMatch(/polls failed and were retried with backoff; last error: Prometheus/);
    expect(ctx.timeline.events("probe-error")).toHaveLength(1);
  });

  it("should be inconclusive, naming the backend, when it errors until the deadline", async () => {
    const probe = new ScriptedProbe("metric", () => new Error("Prometheus GET http://127.0.0.1:9/api/v1/query_range: ECONNABORTED"));
    const result = await runExpectation(plan(probe), context());
    expect(result.verdict).toBe("inconclusive");
    expect(result.reason).toMatch(/never answered .*Prometheus .*ECONNABORTED/);
    expect(result.errors).toBe(result.polls);
    // Backoff: far fewer polls than 1.2 s / 50 ms.
    expect(result.polls).toBeLessThan(20);
  });

  it("should stop at once on a query error the backend will never answer", async () => {
    const probe = new ScriptedProbe("log", () => new QueryError("LogQL: | json has no LogsQL translation"));
    const result = await runExpectation(plan(probe, { within: "10s" }), context());
    expect(result).toMatchObject({ verdict: "inconclusive", polls: 1, errors: 1 });
    expect(result.reason).toMatch(/query error \(not retried\)/);
  });

  it("should fail stays-absent as soon as the signal shows, and pass it when the backend answered throughout", async () => {
    const seen = await runExpectation(plan(new ScriptedProbe("alert", (ms, since) => (ms > 100 ? { at: new Date(since.getTime() + 80), evidence } : undefined)), { kind: "stays-absent", within: "10s" }), context());
    expect(seen).toMatchObject({ verdict: "fail", detectionLatencySeconds: 0.08 });
    const quiet = await runExpectation(plan(new ScriptedProbe("alert", () => undefined), { kind: "stays-absent" }), context());
    expect(quiet.verdict).toBe("pass");
  });

  it("should not pass stays-absent from a dead backend", async () => {
    const result = await runExpectation(plan(new ScriptedProbe("metric", () => new Error("Prometheus: socket hang up")), { kind: "stays-absent" }), context());
    expect(result.verdict).toBe("inconclusive");
  });

  it("should be inconclusive when monitoring is blind for the probe's signal, and say why", async () => {
    const monitoring = async (): Promise<MonitoringStatus> => ({
      checkedAt: new Date(),
      problems: [{ check: "collector-healthy", affects: ["trace"], message: "the collector's own metrics cannot be scraped" }],
      evidence: [{ query: "up", result: "0" }],
    });
    const ctx = context({ monitoring, monitoringIntervalMs: 100 });
    const result = await runExpectation(plan(new ScriptedProbe("trace", () => undefined)), ctx);
    expect(result.verdict).toBe("inconclusive");
    expect(result.reason).toMatch(/monitoring was blind .*collector's own metrics/);
    expect(result.evidence).toContainEqual({ query: "up", result: "0" });
    // A problem for another signal blinds nothing here.
    expect((await runExpectation(plan(new ScriptedProbe("metric", () => undefined)), context({ monitoring }))).verdict).toBe("fail");
  });

  it("should skip the blindness check when the expectation does not require monitoring", async () => {
    let calls = 0;
    const monitoring = async (): Promise<MonitoringStatus> => {
      calls++;
      return { checkedAt: new Date(), problems: [{ check: "prometheus", affects: ["metric"], message: "down" }], evidence: [] };
    };
    const result = await runExpectation(plan(new ScriptedProbe("metric", () => undefined), { requiresMonitoring: false }), context({ monitoring }));
    expect(result.verdict).toBe("fail");
    expect(calls).toBe(0);
  });

  it("should be inconclusive when the anchor never happens", async () => {
    const probe = new ScriptedProbe("metric", () => undefined);
    const result = await runExpectation(plan(probe, {}, "never"), context());
    expect(result).toMatchObject({ verdict: "inconclusive", polls: 0 });
    expect(result.reason).toMatch(/never happened/);
    expect(probe.calls).toBe(0);
  });

  it("should be inconclusive when the anchor cannot be awaited", async () => {
    const result = await runExpectation({ ...plan(new ScriptedProbe("metric", () => undefined)), anchor: () => Promise.reject(new Error("fault pool-exhausted failed to inject")) }, context());
    expect(result.reason).toMatch(/could not be awaited: fault pool-exhausted failed to inject/);
  });

  it("should be inconclusive when the run is interrupted", async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 150);
    const result = await runExpectation(plan(new ScriptedProbe("metric", () => undefined), { within: "30s" }), context({ abortSignal: abort.signal }));
    expect(result.verdict).toBe("inconclusive");
    expect(result.reason).toMatch(/interrupted/);
  });

  it("should honour a caller-parsed withinMs and a deadline grammar in `within`", async () => {
    const p = { ...plan(new ScriptedProbe("metric", () => undefined), { within: "10m of pool-exhausted.start" }), withinMs: 300 };
    const started = Date.now();
    const result = await runExpectation(p, context());
    expect(Date.now() - started).toBeLessThan(2000);
    expect(new Date(result.deadlineAt!).getTime() - new Date(result.anchorAt!).getTime()).toBe(300);
  });
});
