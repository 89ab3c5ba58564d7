import { bucketsFromLoad, bucketsFromRequests, isClientError, sumBuckets } from "./client-sli.js";
import type { SloDefinition } from "./slo-definition.js";

const base = { name: "x", service: "x", objective: 0.99, period: "30d", periodMs: 2_592_000_000, source: "test" };
const ratio: SloDefinition = { ...base, clientErrors: "5xx", sli: { kind: "ratio", badQuery: "b[{{window}}]", totalQuery: "t[{{window}}]" } };
const latency: SloDefinition = {
  ...base,
  clientErrors: "5xx",
  sli: { kind: "latency", goodQuery: "g[{{window}}]", totalQuery: "t[{{window}}]", thresholdSeconds: 2.5 },
};

describe("client-side SLI", () => {
  it("should classify statuses by the SLO's client error class", () => {
    expect([200, 404, 503, 0].map((s) => isClientError(s, "5xx"))).toEqual([false, false, true, false]);
    expect([200, 204, 302, 404, 0].map((s) => isClientError(s, "non-2xx"))).toEqual([false, false, true, true, true]);
    expect([200, 302, 404, 503, 0].map((s) => isClientError(s, "any-failure"))).toEqual([false, false, false, true, true]);
  });

  it("should bucket requests per second, counting errors for a ratio SLI", () => {
    const buckets = bucketsFromRequests(
      [
        { at: 1000, durationMs: 10, status: 200 },
        { at: 1500, durationMs: 10, status: 503 },
        { at: 2100, durationMs: 10, status: 200 },
      ],
      ratio,
    );
    expect(buckets).toEqual([
      { t: 1000, total: 2, bad: 1 },
      { t: 2000, total: 1, bad: 0 },
    ]);
  });

  it("should count slow requests and non-answers for a latency SLI", () => {
    const buckets = bucketsFromRequests(
      [
        { at: 0, durationMs: 2600, status: 200 },
        { at: 10, durationMs: 100, status: 503 },
        { at: 20, durationMs: 10_000, status: 0 },
      ],
      latency,
    );
    expect(buckets).toEqual([{ t: 0, total: 3, bad: 2 }]);
  });

  it("should take a load result's per-second errors, and nothing for a latency SLI", () => {
    const load = { samples: [{ t: "2026-01-01T00:00:00.000Z", requests: 10, errors: 2, p50: 1, p99: 2 }] } as Parameters<typeof bucketsFromLoad>[0];
    expect(bucketsFromLoad(load, ratio)).toEqual([{ t: Date.parse("2026-01-01T00:00:00.000Z"), total: 10, bad: 2 }]);
    expect(bucketsFromLoad(load, latency)).toBeUndefined();
  });

  it("should sum buckets in a half-open window", () => {
    expect(
      sumBuckets(
        [
          { t: 0, total: 1, bad: 1 },
          { t: 1000, total: 2, bad: 0 },
          { t: 2000, total: 4, bad: 4 },
        ],
        1000,
        2000,
      ),
    ).toEqual({ total: 2, bad: 0 });
  });
});
