import { expandingNotation, syntheticCounters } from "./fault-profile.js";

/** promtool's own expansion of "a+bxn" segments, to check the encoding round-trips. */
function expand(notation: string): number[] {
  return notation.split(" ").flatMap((part) => {
    const m = /^(-?\d+)(?:([+-])(\d+)x(\d+))?$/.exec(part)!;
    if (!m[2]) return [Number(m[1])];
    const step = Number(m[3]) * (m[2] === "-" ? -1 : 1);
    return Array.from({ length: Number(m[4]) + 1 }, (_, i) => Number(m[1]) + i * step);
  });
}

describe("expandingNotation", () => {
  it("should round-trip irregular counters", () => {
    const values = [0, 0, 0, 12, 24, 36, 36, 37, 100];
    expect(expand(expandingNotation(values))).toEqual(values);
  });

  it("should compress a steady counter into one segment", () => {
    expect(expandingNotation([0, 600, 1200, 1800])).toBe("0+600x3");
  });
});

describe("syntheticCounters", () => {
  const model = { bad: { metric: "r_total", labels: { code: "500" } }, good: { metric: "r_total", labels: { code: "200" } } };

  it("should count errors only inside the fault window", () => {
    const c = syntheticCounters(model, { name: "p", errorRatio: 0.5, durationMs: 120_000, ratePerSecond: 1 }, 60_000, 60_000, 5);
    expect(c.total).toEqual([0, 60, 120, 180, 240, 300]);
    expect(c.bad).toEqual([0, 0, 30, 60, 60, 60]);
    expect(c.series.find((s) => s.spec.labels.code === "200")!.values).toEqual([0, 60, 90, 120, 180, 240]);
  });

  it("should keep events whole at low traffic", () => {
    const c = syntheticCounters(model, { name: "p", errorRatio: 1, durationMs: 60_000, ratePerSecond: 1 / 60 }, 120_000, 60_000, 4);
    expect(c.total).toEqual([0, 1, 2, 3, 4]);
    expect(c.bad).toEqual([0, 0, 0, 1, 1]);
  });
});
