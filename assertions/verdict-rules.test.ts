import { decide, type PollingFacts } from "./verdict-rules.js";

const anchorAt = new Date("2026-01-01T00:00:00Z");
const deadlineAt = new Date("2026-01-01T00:01:00Z");
const t = (s: number) => anchorAt.getTime() + s * 1000;
const evidence = { query: "q", result: "r" };
/** Polls every second from the anchor to 65 s, all answered. */
const answered = Array.from({ length: 66 }, (_, i) => ({ at: t(i), ok: true }));

function facts(overrides: Partial<PollingFacts>): PollingFacts {
  return {
    kind: "appears",
    anchorAt,
    deadlineAt,
    endedAt: new Date(t(65)),
    polls: answered,
    aborted: false,
    allowPreexisting: false,
    maxBlindGapMs: 10_000,
    ...overrides,
  };
}

describe("decide", () => {
  it("should pass appears when seen within the window", () => {
    expect(decide(facts({ observation: { at: new Date(t(30)), evidence } }))).toEqual({ verdict: "pass" });
  });

  it("should fail appears seen after the deadline, saying by how much", () => {
    expect(decide(facts({ observation: { at: new Date(t(62)), evidence } }))).toEqual({
      verdict: "fail",
      reason: expect.stringMatching(/2\.0 s after the deadline/),
    });
  });

  it("should call appears inconclusive when the signal predates the anchor, unless pre-existing is allowed", () => {
    const early = { at: new Date(t(-5)), evidence };
    expect(decide(facts({ observation: early })).verdict).toBe("inconclusive");
    expect(decide(facts({ observation: early, allowPreexisting: true })).verdict).toBe("pass");
  });

  it("should fail appears never seen while the backend answered throughout", () => {
    expect(decide(facts({}))).toEqual({ verdict: "fail", reason: expect.stringMatching(/not seen between/) });
  });

  it("should pass stays-absent never seen, and fail it seen in the window or before", () => {
    expect(decide(facts({ kind: "stays-absent" })).verdict).toBe("pass");
    expect(decide(facts({ kind: "stays-absent", observation: { at: new Date(t(10)), evidence } })).verdict).toBe("fail");
    expect(decide(facts({ kind: "stays-absent", observation: { at: new Date(t(-10)), evidence } })).reason).toMatch(/already present before the anchor/);
  });

  it("should make a negative finding inconclusive when the backend never answered", () => {
    const polls = answered.map((p) => ({ ...p, ok: false, error: "Prometheus GET /api/v1/query_range: ECONNREFUSED" }));
    for (const kind of ["appears", "stays-absent", "resolves"] as const) {
      const d = decide(facts({ kind, polls }));
      expect(d.verdict).toBe("inconclusive");
      expect(d.reason).toMatch(/never answered .*66 of 66 polls failed, retried with backoff.*Prometheus .*ECONNREFUSED/);
    }
  });

  it("should make it inconclusive when the backend stopped answering before the deadline", () => {
    const polls = answered.map((p) => (p.at > t(40) ? { ...p, ok: false, error: "Prometheus: timeout" } : p));
    expect(decide(facts({ kind: "stays-absent", polls })).reason).toMatch(/stopped answering at .*00:00:40.000Z, before the deadline/);
  });

  it("should tolerate a short outage but not one longer than the blind gap", () => {
    const short = answered.map((p) => (p.at > t(20) && p.at < t(28) ? { ...p, ok: false, error: "e" } : p));
    expect(decide(facts({ polls: short })).verdict).toBe("fail");
    const long = answered.map((p) => (p.at > t(20) && p.at < t(35) ? { ...p, ok: false, error: "e" } : p));
    expect(decide(facts({ polls: long })).reason).toMatch(/did not answer for 15\.0 s .*longer than the 10\.0 s/);
  });

  it("should fail a miss with the hop where it was lost, whatever the stack did on the way", () => {
    const diagnosis = {
      hops: [],
      stoppedAt: "collector receiver",
      reachedBackend: false,
      summary: "lost at collector receiver: refused 3081 spans (memory_limiter)",
    };
    expect(decide(facts({ diagnosis }))).toEqual({
      verdict: "fail",
      reason: expect.stringMatching(/not seen between .*: lost at collector receiver: refused 3081 spans/),
    });
  });

  it("should excuse a miss only by a declared blindness, and not when the signal reached its backend", () => {
    const declaredBlind = "the experiment's fault collector-killed declares that it blinds trace, log";
    const lost = { hops: [], reachedBackend: false, summary: "lost at collector: down" };
    expect(decide(facts({ declaredBlind, diagnosis: lost }))).toEqual({ verdict: "inconclusive", reason: `${declaredBlind}; lost at collector: down` });
    expect(decide(facts({ declaredBlind, diagnosis: { ...lost, reachedBackend: true } })).verdict).toBe("fail");
  });

  it("should pass stays-absent only over a path proven alive", () => {
    expect(decide(facts({ kind: "stays-absent", liveness: { alive: true, detail: "fed" } })).verdict).toBe("pass");
    expect(decide(facts({ kind: "stays-absent", liveness: { alive: false, detail: "no series of job:x existed during the window" } }))).toEqual({
      verdict: "fail",
      reason: expect.stringMatching(/path was not alive: no series of job:x/),
    });
    expect(decide(facts({ kind: "stays-absent", livenessError: "Prometheus: timeout" })).verdict).toBe("inconclusive");
  });

  it("should judge a polled signal by when it became visible, not when it happened", () => {
    const observation = { at: new Date(t(50)), evidence };
    expect(decide(facts({ observation, visibleAt: new Date(t(59)) })).verdict).toBe("pass");
    expect(decide(facts({ observation, visibleAt: new Date(t(62)) })).reason).toMatch(
      /first visible at .*00:01:02.000Z, 2\.0 s after the deadline \(it happened at .*00:00:50.000Z\)/,
    );
  });

  it("should fail a sighting of the load that too little of the load backs", () => {
    const coverage = { found: 1, checked: 200, answered: 331, ratio: 0.005, min: 0.8, from: "a", to: "b" };
    expect(decide(facts({ observation: { at: new Date(t(3)), evidence }, coverage, backend: "Jaeger" })).reason).toMatch(
      /1 of 200 sampled \(of 331 answered\) load requests reached Jaeger \(0\.5 %, at least 80 % required\)/,
    );
    expect(decide(facts({ observation: { at: new Date(t(3)), evidence }, coverage: { ...coverage, found: 199, ratio: 0.995 } })).verdict).toBe("pass");
  });

  it("should call a permanent query error inconclusive without retrying", () => {
    expect(decide(facts({ permanentError: "Prometheus: HTTP 400 bad_data" }))).toEqual({
      verdict: "inconclusive",
      reason: expect.stringMatching(/query error \(not retried\)/),
    });
  });

  it("should call an interrupted run inconclusive", () => {
    expect(decide(facts({ aborted: true, kind: "stays-absent" })).reason).toMatch(/interrupted/);
  });
});
