import { mergeIntervals, thinLoadSamples, thinPoints, type ThinPlan } from "./thin-series.js";

const T0 = Date.parse("2026-01-01T00:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const sample = (s: number, requests: number, errors: number, p50: number, p99: number) => ({ t: at(s), requests, errors, p50, p99 });

describe("mergeIntervals", () => {
  it("should sort, join overlapping and touching ranges and drop empty ones", () => {
    expect(
      mergeIntervals([
        { from: 50, to: 60 },
        { from: 0, to: 10 },
        { from: 10, to: 20 },
        { from: 55, to: 70 },
        { from: 30, to: 30 },
      ]),
    ).toEqual([
      { from: 0, to: 20 },
      { from: 50, to: 70 },
    ]);
  });
});

describe("thinLoadSamples", () => {
  const plan: ThinPlan = { origin: T0, bucketMs: 10_000, keep: [{ from: T0 + 20_000, to: T0 + 25_000 }] };
  const samples = Array.from({ length: 40 }, (_, s) => sample(s, s === 33 ? 0 : 10, s % 7 === 0 ? 2 : 0, 40 + s, s === 7 ? 900 : 100 + s));
  const thinned = thinLoadSamples(samples, plan);

  it("should keep every request and error, so totals and ratios stay exact", () => {
    const sum = (xs: typeof samples, k: "requests" | "errors") => xs.reduce((n, s) => n + s[k], 0);
    expect(sum(thinned, "requests")).toBe(sum(samples, "requests"));
    expect(sum(thinned, "errors")).toBe(sum(samples, "errors"));
  });

  it("should merge a bucket's seconds into one sample with its width, the highest p99 and the request-weighted p50", () => {
    expect(thinned[0]).toEqual({ t: at(0), seconds: 10, requests: 100, errors: 4, p50: 44.5, p99: 900 });
    // Second 33 had no requests, so it does not pull the p50 of its bucket down.
    const third = thinned.find((s) => s.t === at(30))!;
    expect(third.requests).toBe(90);
    expect(third.p50).toBeCloseTo(40 + (30 + 31 + 32 + 34 + 35 + 36 + 37 + 38 + 39) / 9, 6);
    expect(third.p99).toBe(139);
  });

  it("should keep the seconds inside a kept range as they were", () => {
    const kept = thinned.filter((s) => s.seconds === undefined);
    expect(kept).toEqual(samples.slice(20, 25));
    expect(thinned.map((s) => s.t)).toEqual([at(0), at(10), ...[20, 21, 22, 23, 24].map(at), at(25), at(30)]);
    expect(thinned.find((s) => s.t === at(25))!.seconds).toBe(5);
  });

  it("should give back a single-second bucket unchanged", () => {
    expect(thinLoadSamples([samples[3]!], plan)).toEqual([samples[3]]);
  });
});

describe("thinPoints", () => {
  const plan: ThinPlan = { origin: T0, bucketMs: 60_000, keep: [{ from: T0 + 600_000, to: T0 + 660_000 }] };
  const points: [number, number][] = Array.from({ length: 1200 }, (_, i) => [T0 / 1000 + i, i === 301 ? 50 : i === 302 ? -3 : 1 + (i % 5) / 10]);
  const thinned = thinPoints(points, plan);

  it("should keep each bucket's lowest and highest point in time order, so a one-scrape spike shows", () => {
    expect(thinned).toContainEqual(points[301]);
    expect(thinned).toContainEqual(points[302]);
    const times = thinned.map((p) => p[0]);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(thinned.length).toBeLessThan(100);
  });

  it("should keep every point of a kept range", () => {
    const inside = points.filter((p) => p[0] * 1000 >= T0 + 600_000 && p[0] * 1000 < T0 + 660_000);
    expect(inside).toHaveLength(60);
    for (const p of inside) expect(thinned).toContainEqual(p);
  });

  it("should keep one point of a flat bucket", () => {
    const flat: [number, number][] = Array.from({ length: 60 }, (_, i) => [T0 / 1000 + i, 7]);
    expect(thinPoints(flat, { ...plan, keep: [] })).toEqual([flat[0]]);
  });
});
