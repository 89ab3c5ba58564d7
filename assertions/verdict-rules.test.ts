import { decide, type PollingFacts } from "./verdict-rules.js";

const anchorAt = new Date("2026-01-01T00:00:00Z");
const deadlineAt = new Date("2026-01-01T00:01:00Z");
const t = (s: number) => anchorAt.getTime() + s * 1000;
const evidence = { query: "q", result: "r" };
/** Polls every second from the anchor to 65 s, all answered. */
const answered = Array.from({ length: 66 }, (_, i) => ({ at: t(i), ok: true }));

function facts(overrides: Partial<PollingFacts>): PollingFacts {
  return { kind: "appears", anchorAt, deadlineAt, endedAt: new Date(t(65)), polls: answered, blinding: [], aborted: false, allowPreexisting: false, maxBlindGapMs: 10_000, ...overrides };
}

describe("decide", () => {
  it("should pass appears when seen within the window", () => {
    expect(decide(facts({ observation: { at: new Date(t(30)), evidence } }))).toEqual({ verdict: "pass" });
  });

  it("should fail appears seen after the deadline, saying by how much", () => {
    expect(decide(facts({ observation: { at: new Date(t(62)), evidence } }))).toEqual({ verdict: "fail", reason: expect.stringMatching(/2\.0 s after the deadline/) });
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

  it("should make a negative finding inconclusive when monitoring was blind, naming the cause", () => {
    const blinding = [{ check: "targets-up" as const, affects: ["metric" as const], message: "scrape target genomics-api is down" }];
    expect(decide(facts({ blinding }))).toEqual({ verdict: "inconclusive", reason: expect.stringMatching(/monitoring was blind .*genomics-api is down/) });
    expect(decide(facts({ blinding, kind: "stays-absent" })).verdict).toBe("inconclusive");
  });

  it("should let a sighting stand while monitoring was blind", () => {
    const blinding = [{ check: "prometheus" as const, affects: ["metric" as const], message: "Prometheus unreachable" }];
    expect(decide(facts({ blinding, observation: { at: new Date(t(3)), evidence } })).verdict).toBe("pass");
  });

  it("should call a permanent query error inconclusive without retrying", () => {
    expect(decide(facts({ permanentError: "Prometheus: HTTP 400 bad_data" }))).toEqual({ verdict: "inconclusive", reason: expect.stringMatching(/query error \(not retried\)/) });
  });

  it("should call an interrupted run inconclusive", () => {
    expect(decide(facts({ aborted: true, kind: "stays-absent" })).reason).toMatch(/interrupted/);
  });
});
