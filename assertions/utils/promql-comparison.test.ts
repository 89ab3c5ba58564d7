import { parseMetricCondition } from "./promql-comparison.js";
import { compare, formatValue } from "./comparator.js";

describe("parseMetricCondition", () => {
  it("should split a recording rule compared with a number", () => {
    expect(parseMetricCondition("job:genomics_api_error_ratio:rate1m > 0.01")).toEqual({ query: "job:genomics_api_error_ratio:rate1m", op: ">", value: 0.01 });
  });

  it.each([
    ["x >= 1", ">=", 1],
    ["x <= 2", "<=", 2],
    ["x < 2", "<", 2],
    ["x == 0", "==", 0],
    ["x != 0", "!=", 0],
    ["x > 1e-3", ">", 0.001],
    ["x == -1", "==", -1],
    ["x > +Inf", ">", Infinity],
  ])("should read %s", (text, op, value) => {
    expect(parseMetricCondition(text)).toEqual({ query: "x", op, value });
  });

  it("should keep the whole left-hand side, functions, offsets and braces included", () => {
    expect(parseMetricCondition('sum by (job) (rate(http_total{status=~"5.."}[1m])) offset 1m > 3').query).toBe(
      'sum by (job) (rate(http_total{status=~"5.."}[1m])) offset 1m',
    );
  });

  it("should refuse a comparison that is not the top-level operator", () => {
    expect(() => parseMetricCondition("a > 0.5 and b > 1")).toThrow(/top-level operator .* is 'and'/);
  });

  it("should refuse a comparison against another series", () => {
    expect(() => parseMetricCondition("a > b")).toThrow(/must be a number, got 'b'/);
  });

  it("should refuse the bool modifier", () => {
    expect(() => parseMetricCondition("a > bool 1")).toThrow(/drop "bool"/);
  });

  it("should refuse a bare expression and bad syntax", () => {
    expect(() => parseMetricCondition("up")).toThrow(/ending in a comparison/);
    expect(() => parseMetricCondition("sum(up > 1")).toThrow(/syntax error/);
  });
});

describe("compare", () => {
  it("should follow PromQL: NaN matches only !=", () => {
    expect(compare(NaN, ">", 0)).toBe(false);
    expect(compare(NaN, "==", NaN)).toBe(false);
    expect(compare(NaN, "!=", 0)).toBe(true);
    expect(compare(0.02, ">", 0.01)).toBe(true);
    expect(compare(0.01, ">=", 0.01)).toBe(true);
  });

  it("should format values without float noise", () => {
    expect(formatValue(0.1 + 0.2)).toBe("0.3");
    expect(formatValue(Infinity)).toBe("+Inf");
    expect(formatValue(NaN)).toBe("NaN");
  });
});
