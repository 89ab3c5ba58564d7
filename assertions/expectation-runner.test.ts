import { Timeline } from "../core/timeline.js";
import { ExpectationResultSchema } from "../core/report-schema.js";
import type { Endpoints } from "../core/environment.js";
import type { Observation, Probe, ProbeAnswer, ProbeContext, Signal } from "./probe.js";
import type { Diagnosis, FaultWindow, PathContext, PathLiveness } from "./diagnosis/diagnosis.js";
import type { Coverage } from "./load-coverage.js";
import { runExpectation, type ExpectationContext, type ExpectationPlan } from "./expectation-runner.js";
import { QueryError } from "./utils/errors.js";
import { parseDuration } from "../core/durations.js";

/** A probe that answers from a script: each poll gets the time since the anchor in ms. */
class ScriptedProbe implements Probe {
  calls = 0;
  contexts: ProbeContext[] = [];
  pollTimes: number[] = [];
  diagnose?: (ctx: PathContext) => Promise<Diagnosis>;
  pathAlive?: (ctx: PathContext) => Promise<PathLiveness>;
  coverage?: (ctx: ProbeContext, from: Date, to: Date) => Promise<Coverage | undefined>;
  constructor(
    readonly signal: Signal,
    private readonly script: (elapsedMs: number, since: Date) => Observation | undefined | Error,
    readonly visibility: "signal" | "polled" = "signal",
  ) {}
  describe() {
    return `scripted ${this.signal}`;
  }
  async observe(ctx: ProbeContext): Promise<ProbeAnswer> {
    this.calls++;
    this.contexts.push(ctx);
    this.pollTimes.push(Date.now());
    const out = this.script(Date.now() - ctx.since.getTime(), ctx.since);
    if (out instanceof Error) throw out;
    return out ? { seen: out } : { miss: { query: "scripted", result: "nothing yet" } };
  }
}

const endpoints = {} as Endpoints;
const evidence = { query: "q", result: "seen" };
const lostAtCollector: Diagnosis = {
  hops: [{ hop: "collector", status: "stopped", detail: "down for the whole window" }],
  stoppedAt: "collector",
  reachedBackend: false,
  summary: "lost at collector: down for the whole window",
};

function plan(probe: Probe, overrides: Partial<ExpectationPlan["def"]> = {}, anchorAt: Date | "never" = new Date()): ExpectationPlan {
  const def = { id: "e1", kind: "appears" as const, within: "1s", ...overrides };
  return {
    def,
    probe,
    anchor: async () => (anchorAt === "never" ? undefined : anchorAt),
    withinMs: parseDuration(def.within.split(" ")[0]!),
    deadlineLabel: `${def.within} after run-start`,
  };
}

function context(overrides: Partial<ExpectationContext> = {}): ExpectationContext & { timeline: Timeline } {
  return {
    endpoints,
    timeline: new Timeline(),
    pollIntervalMs: 50,
    ingestGraceMs: 200,
    maxBlindGapMs: 500,
    maxBackoffMs: 100,
    settleMs: 0,
    ...overrides,
  } as ExpectationContext & { timeline: Timeline };
}

function fault(from: Date, to: Date | undefined, blinds: FaultWindow["blinds"]): FaultWindow {
  return { id: "collector-killed", injector: "process", target: "otel-collector", from, ...(to ? { to } : {}), blinds };
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
    const probe = new ScriptedProbe("metric", () => undefined);
    const slow: Probe = {
      signal: "metric",
      visibility: "signal",
      describe: () => "slow",
      observe: async (c) => (pollTimes.push(Date.now()), await new Promise((r) => setTimeout(r, 100)), probe.observe(c)),
    };
    const started = Date.now();
    const result = await runExpectation(plan(slow, { within: "5s" }), context({ ingestGraceMs: 0 }));
    expect(result.verdict).toBe("fail");
    expect(result.polls).toBe(3);
    const gaps = pollTimes.slice(1).map((t, i) => t - pollTimes[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(3200);
    expect(pollTimes.at(-1)! - started).toBeGreaterThanOrEqual(4950);
  });

  it("should pass the anchor as `since` and the load's requests to the probe", async () => {
    const probe = new ScriptedProbe("trace", () => undefined);
    const anchorAt = new Date(Date.now() - 900);
    const sentRequests = () => [{ traceId: "a".repeat(32), sentAt: new Date(), status: 200, latencyMs: 5 }];
    await runExpectation(plan(probe, {}, anchorAt), context({ sentRequests }));
    expect(probe.contexts[0]!.since).toEqual(anchorAt);
    expect(probe.contexts[0]!.sentRequests).toBe(sentRequests);
  });

  it("should date a polled signal by the first poll that found it, with its own time and the last miss beside it", async () => {
    const anchorAt = new Date();
    const probe = new ScriptedProbe("trace", (ms, since) => (ms > 400 ? { at: new Date(since.getTime() + 100), evidence } : undefined), "polled");
    const result = await runExpectation(plan(probe, { within: "3s" }, anchorAt), context());
    expect(result.verdict).toBe("pass");
    const hit = probe.pollTimes.at(-1)!;
    const miss = probe.pollTimes.at(-2)!;
    // The runner stamps a poll as it starts it, the probe a tick later.
    expect(Math.abs(new Date(result.firstSeenAt!).getTime() - hit)).toBeLessThanOrEqual(5);
    expect(result.occurredAt).toBe(new Date(anchorAt.getTime() + 100).toISOString());
    expect(Math.abs(new Date(result.visibleAfter!).getTime() - miss)).toBeLessThanOrEqual(5);
    expect(result.detectionLatencySeconds).toBeCloseTo((hit - anchorAt.getTime()) / 1000, 1);
  });

  it("should fail a signal that happened in time but became visible only after the deadline", async () => {
    // Stamped at 0.5 s, found by a poll 1.1 s after the anchor: a person could not have seen it by the 1 s deadline.
    const probe = new ScriptedProbe("log", (ms, since) => (ms > 1100 ? { at: new Date(since.getTime() + 500), evidence } : undefined), "polled");
    const result = await runExpectation(plan(probe), context({ ingestGraceMs: 400 }));
    expect(result.verdict).toBe("fail");
    expect(result.reason).toMatch(/first visible at .*after the deadline \(it happened at /);
  });

  it("should poll a polled probe often while it waits, and land one poll on the deadline", async () => {
    // 100 ms polls at a 30 % duty: about every 330 ms, and one at the 2 s deadline itself.
    const slow = new ScriptedProbe("trace", () => undefined, "polled");
    const probe: Probe = {
      signal: "trace",
      visibility: "polled",
      describe: () => "slow",
      observe: async (c) => (await new Promise((r) => setTimeout(r, 100)), slow.observe(c)),
    };
    const anchorAt = new Date();
    await runExpectation(plan(probe, { within: "2s" }, anchorAt), context({ ingestGraceMs: 0, pollIntervalMs: 50 }));
    const gaps = slow.pollTimes.slice(1).map((t, i) => t - slow.pollTimes[i]!);
    expect(Math.max(...gaps)).toBeLessThan(700);
    expect(slow.pollTimes.some((t) => Math.abs(t - 100 - (anchorAt.getTime() + 2000)) < 60)).toBe(true);
  });

  it("should fail appears at the deadline with the diagnosis of where the signal was lost", async () => {
    const probe = new ScriptedProbe("trace", () => undefined, "polled");
    const seen: PathContext[] = [];
    probe.diagnose = async (ctx) => (seen.push(ctx), lostAtCollector);
    const origin = new Date(Date.now() - 30_000);
    const result = await runExpectation(plan(probe), context({ origin }));
    expect(result.verdict).toBe("fail");
    expect(result.reason).toMatch(/not seen between .*: lost at collector: down for the whole window/);
    expect(result.diagnosis).toEqual({ summary: lostAtCollector.summary, stoppedAt: "collector", reachedBackend: false, hops: lostAtCollector.hops });
    expect(seen[0]!.origin).toBe(origin);
    expect(seen[0]!.to.getTime() - seen[0]!.from.getTime()).toBe(1000);
  });

  it("should still fail when the diagnosis cannot query, and note why", async () => {
    const probe = new ScriptedProbe("trace", () => undefined);
    probe.diagnose = async () => {
      throw new Error("Prometheus: ECONNREFUSED");
    };
    const ctx = context();
    const result = await runExpectation(plan(probe), ctx);
    expect(result.verdict).toBe("fail");
    expect(result.diagnosis).toBeUndefined();
    expect(ctx.timeline.events("note").some((e) => String(e.data?.message).includes("could not diagnose the signal: Prometheus: ECONNREFUSED"))).toBe(true);
  });

  it("should excuse a miss only for a fault that declared it blinds the signal and was in place", async () => {
    const probe = new ScriptedProbe("trace", () => undefined);
    probe.diagnose = async () => lostAtCollector;
    const now = Date.now();
    const declared = await runExpectation(plan(probe), context({ faults: () => [fault(new Date(now - 5000), undefined, ["trace", "log"])] }));
    expect(declared.verdict).toBe("inconclusive");
    expect(declared.reason).toMatch(/collector-killed \(process on otel-collector, in place .*\) declares that it blinds trace, log.*lost at collector/);
    const undeclared = await runExpectation(plan(probe), context({ faults: () => [fault(new Date(now - 5000), undefined, [])] }));
    expect(undeclared.verdict).toBe("fail");
    const over = await runExpectation(plan(probe), context({ faults: () => [fault(new Date(now - 5000), new Date(now - 1000), ["trace"])] }));
    expect(over.verdict).toBe("fail");
  });

  it("should not excuse a miss whose signal reached the backend, blindness declared or not", async () => {
    const probe = new ScriptedProbe("trace", () => undefined);
    probe.diagnose = async () => ({ ...lostAtCollector, reachedBackend: true, summary: "lost at criteria: none has error status" });
    const result = await runExpectation(plan(probe), context({ faults: () => [fault(new Date(Date.now() - 5000), undefined, ["trace"])] }));
    expect(result.verdict).toBe("fail");
  });

  it("should let a fault that blinds metrics excuse a missing alert, which is computed from them", async () => {
    const probe = new ScriptedProbe("alert", () => undefined);
    const result = await runExpectation(plan(probe), context({ faults: () => [fault(new Date(Date.now() - 5000), undefined, ["metric"])] }));
    expect(result.verdict).toBe("inconclusive");
  });

  it("should fail a sighting of the load when too little of it reached the backend, and pass it when enough did", async () => {
    const seenAt = (ms: number, since: Date) => (ms > 100 ? { at: new Date(since.getTime() + 50), evidence } : undefined);
    const windows: [Date, Date][] = [];
    const coverage =
      (found: number) =>
      async (_c: ProbeContext, from: Date, to: Date): Promise<Coverage> => (
        windows.push([from, to]),
        { found, checked: 100, answered: 330, ratio: found / 100, min: 0.8, from: from.toISOString(), to: to.toISOString() }
      );
    const lucky = new ScriptedProbe("trace", seenAt, "polled");
    lucky.coverage = coverage(1);
    const sentRequests = () => [];
    const low = await runExpectation(plan(lucky, { within: "2s" }), context({ sentRequests }));
    expect(low.verdict).toBe("fail");
    expect(low.reason).toMatch(
      /too little of the load reached the backend to trust it: 1 of 100 sampled \(of 330 answered\) load requests reached Jaeger \(1\.0 %, at least 80 % required\)/,
    );
    expect(low.coverage).toMatchObject({ found: 1, checked: 100 });
    // At least ten seconds of load count, but never past the deadline.
    expect(windows[0]![1].getTime() - windows[0]![0].getTime()).toBe(2000);
    const healthy = new ScriptedProbe("trace", seenAt, "polled");
    healthy.coverage = coverage(97);
    expect((await runExpectation(plan(healthy, { within: "2s" }), context({ sentRequests }))).verdict).toBe("pass");
  });

  it("should fail appears at the deadline with the last miss as evidence", async () => {
    const result = await runExpectation(plan(new ScriptedProbe("log", () => undefined)), context());
    expect(result).toMatchObject({ verdict: "fail", evidence: [{ query: "scripted", result: "nothing yet" }] });
    expect(result.reason).toMatch(/not seen between/);
    expect(result.firstSeenAt).toBeUndefined();
  });

  it("should keep polling through the grace for a sample stored with a time before the deadline", async () => {
    // Found only 1.1 s after the anchor (past the 1 s deadline) but stamped at 0.9 s, when it was stored: in time.
    const probe = new ScriptedProbe("metric", (ms, since) => (ms > 1100 ? { at: new Date(since.getTime() + 900), evidence } : undefined));
    expect((await runExpectation(plan(probe), context({ ingestGraceMs: 400 }))).verdict).toBe("pass");
  });

  it("should retry a failing backend with backoff and pass when it recovers, saying so", async () => {
    const probe = new ScriptedProbe("metric", (ms, since) =>
      ms < 250 ? new Error("Prometheus GET /api/v1/query_range: ECONNREFUSED") : { at: new Date(since.getTime() + 400), evidence },
    );
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

  it("should fail stays-absent as soon as the signal shows, and pass it over a path proven alive", async () => {
    const seen = await runExpectation(
      plan(new ScriptedProbe("alert", (ms, since) => (ms > 100 ? { at: new Date(since.getTime() + 80), evidence } : undefined)), {
        kind: "stays-absent",
        within: "10s",
      }),
      context(),
    );
    expect(seen).toMatchObject({ verdict: "fail", detectionLatencySeconds: 0.08 });
    const quiet = new ScriptedProbe("metric", () => undefined);
    quiet.pathAlive = async () => ({ alive: true, detail: "job:x fed throughout" });
    const result = await runExpectation(plan(quiet, { kind: "stays-absent" }), context());
    expect(result.verdict).toBe("pass");
    expect(result.evidence).toContainEqual({ query: expect.stringMatching(/^path alive during the window/), result: "job:x fed throughout" });
  });

  it("should fail stays-absent over a dead path: nothing could have been seen", async () => {
    const vacuous = new ScriptedProbe("metric", () => undefined);
    vacuous.pathAlive = async () => ({ alive: false, detail: "no series of job:genomics_api_error_ratio:rate1m existed during the window" });
    const result = await runExpectation(plan(vacuous, { kind: "stays-absent" }), context());
    expect(result.verdict).toBe("fail");
    expect(result.reason).toMatch(/nothing was seen, but the path was not alive: no series of job:genomics_api_error_ratio:rate1m/);
  });

  it("should call stays-absent inconclusive when its path could not be checked", async () => {
    const probe = new ScriptedProbe("metric", () => undefined);
    probe.pathAlive = async () => {
      throw new Error("Prometheus: timeout");
    };
    const result = await runExpectation(plan(probe, { kind: "stays-absent" }), context());
    expect(result.verdict).toBe("inconclusive");
    expect(result.reason).toMatch(/could not be checked: Prometheus: timeout/);
  });

  it("should not pass stays-absent from a dead backend", async () => {
    const result = await runExpectation(plan(new ScriptedProbe("metric", () => new Error("Prometheus: socket hang up")), { kind: "stays-absent" }), context());
    expect(result.verdict).toBe("inconclusive");
  });

  it("should be inconclusive when the anchor never happens", async () => {
    const probe = new ScriptedProbe("metric", () => undefined);
    const result = await runExpectation(plan(probe, {}, "never"), context());
    expect(result).toMatchObject({ verdict: "inconclusive", polls: 0 });
    expect(result.reason).toMatch(/never happened/);
    expect(probe.calls).toBe(0);
  });

  it("should be inconclusive when the anchor cannot be awaited", async () => {
    const result = await runExpectation(
      { ...plan(new ScriptedProbe("metric", () => undefined)), anchor: () => Promise.reject(new Error("fault pool-exhausted failed to inject")) },
      context(),
    );
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
