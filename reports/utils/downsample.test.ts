import { downsampleMinMax } from "./downsample.js";

function ramp(n: number, f: (i: number) => number | null): { x: number[]; y: (number | null)[] } {
  const x = Array.from({ length: n }, (_, i) => i);
  return { x, y: x.map(f) };
}

describe("downsampleMinMax", () => {
  it("should return short series unchanged", () => {
    const { x, y } = ramp(10, (i) => i * 2);
    expect(downsampleMinMax(x, y, 10)).toEqual({ x, y });
  });

  it("should return at most two points per bucket", () => {
    const { x, y } = ramp(1_000_000, (i) => Math.sin(i / 1000));
    const out = downsampleMinMax(x, y, 500);
    expect(out.x.length).toBeLessThanOrEqual(1000);
    expect(out.x.length).toBeGreaterThan(900);
    expect(out.y.length).toBe(out.x.length);
  });

  it("should keep a one-sample spike in a million samples", () => {
    const { x, y } = ramp(1_000_000, (i) => (i === 654_321 ? 0.87 : 0));
    const out = downsampleMinMax(x, y, 800);
    expect(Math.max(...(out.y as number[]))).toBe(0.87);
    expect(out.x[out.y.indexOf(0.87)]).toBe(654_321);
  });

  it("should keep a gap that fills whole buckets", () => {
    const { x, y } = ramp(10_000, (i) => (i >= 4000 && i < 6000 ? null : 1));
    const out = downsampleMinMax(x, y, 100);
    expect(out.y.filter((v) => v === null).length).toBeGreaterThanOrEqual(15);
  });

  it("should put unsorted input in time order", () => {
    const x = Array.from({ length: 5000 }, (_, i) => 5000 - i);
    const y = x.map((v) => v % 7);
    const out = downsampleMinMax(x, y, 100);
    expect(out.x).toEqual([...out.x].sort((a, b) => a - b));
    const small = downsampleMinMax([3, 1, 2], [30, 10, 20], 10);
    expect(small).toEqual({ x: [1, 2, 3], y: [10, 20, 30] });
  });

  it("should treat NaN values as gaps", () => {
    expect(downsampleMinMax([1, 2], [NaN, 3], 10)).toEqual({ x: [1, 2], y: [null, 3] });
  });
});
