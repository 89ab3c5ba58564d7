import { formatPromDuration, parsePromDuration } from "./prom-duration.js";

describe("Prometheus durations", () => {
  it("should parse compound durations in every unit", () => {
    expect(parsePromDuration("1h30m")).toBe(5_400_000);
    expect(parsePromDuration("3d")).toBe(259_200_000);
    expect(parsePromDuration("1w")).toBe(604_800_000);
    expect(parsePromDuration("1s500ms")).toBe(1500);
    expect(parsePromDuration("0")).toBe(0);
  });

  it("should refuse fractions, unknown units and units out of order", () => {
    expect(() => parsePromDuration("1.5h")).toThrow(/Prometheus duration/);
    expect(() => parsePromDuration("5x")).toThrow(/Prometheus duration/);
    expect(() => parsePromDuration("30m1h")).toThrow(/descending order/);
  });

  it("should format with the largest units first and round-trip", () => {
    expect(formatPromDuration(4_320_000)).toBe("1h12m");
    expect(formatPromDuration(259_200_000)).toBe("3d");
    expect(formatPromDuration(2500)).toBe("2s500ms");
    for (const text of ["5m", "1h12m", "3d", "6m", "2s500ms"]) expect(formatPromDuration(parsePromDuration(text))).toBe(text);
  });
});
