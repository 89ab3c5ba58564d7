import { compressExpr, durationLiterals, scaleNumberLiterals } from "./promql-durations.js";
import { parsePromql } from "./utils/promql-tree.js";

describe("compressExpr", () => {
  it("should divide range selectors", () => {
    expect(compressExpr('sum(rate(http_requests_total{code=~"5.."}[1h])) / sum(rate(http_requests_total[1h]))', 60)).toBe(
      'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))',
    );
  });

  it("should divide a subquery's range and its step", () => {
    expect(compressExpr("max_over_time(slo:sli_error:ratio_rate5m[6h:1m])", 60)).toBe("max_over_time(slo:sli_error:ratio_rate5m[6m:1s])");
    expect(compressExpr("max_over_time(rate(x_total[5m])[3d:])", 60)).toBe("max_over_time(rate(x_total[5s])[1h12m:])");
  });

  it("should divide offsets, negative ones too", () => {
    expect(compressExpr("rate(x_total[1h] offset 1d)", 60)).toBe("rate(x_total[1m] offset 24m)");
    expect(compressExpr("x offset -2h", 60)).toBe("x offset -2m");
  });

  it("should leave durations inside strings, numbers and @ timestamps alone", () => {
    // A regular expression would rewrite the label value; the syntax tree knows it is a string.
    const expr = 'rate(x_total{path="/reports[5m]"}[5m] @ 1700000000) > 300';
    expect(compressExpr(expr, 60)).toBe('rate(x_total{path="/reports[5m]"}[5s] @ 1700000000) > 300');
  });

  it("should keep whitespace and comments of the original text", () => {
    const expr = "sum(\n  rate(x_total[30m])  # the slow window\n)\n";
    expect(compressExpr(expr, 60)).toBe("sum(\n  rate(x_total[30s])  # the slow window\n)\n");
  });

  it("should refuse a factor that shrinks a duration below a millisecond", () => {
    expect(() => compressExpr("rate(x_total[1s])", 5000)).toThrow(/below 1ms/);
  });

  it("should refuse expressions that do not parse, naming the offset", () => {
    expect(() => compressExpr("rate(x_total[5m]", 60)).toThrow(/PromQL syntax error at offset/);
  });

  it("should refuse duration arithmetic Prometheus 2.42 cannot run", () => {
    expect(() => compressExpr("rate(x_total[5m*2])", 60)).toThrow(/no duration arithmetic/);
  });
});

describe("compressExpr with a minimum range", () => {
  it("should keep ranges at the minimum rather than below it, and leave offsets and longer ranges scaled", () => {
    expect(compressExpr("rate(a[1m]) / rate(b[1h] offset 1m)", 30, 20_000)).toBe("rate(a[20s]) / rate(b[2m] offset 2s)");
  });

  it("should never lengthen a range that was already shorter than the minimum", () => {
    expect(compressExpr("rate(a[10s])", 30, 20_000)).toBe("rate(a[10s])");
  });
});

describe("durationLiterals", () => {
  it("should report each duration's role and length", () => {
    const roles = durationLiterals(parsePromql("rate(a[5m] offset 1h) + max_over_time(b[1d:30s])")).map((d) => [d.role, d.ms]);
    expect(roles).toEqual([
      ["range", 300_000],
      ["offset", 3_600_000],
      ["subquery-range", 86_400_000],
      ["subquery-step", 30_000],
    ]);
  });
});

describe("scaleNumberLiterals", () => {
  it("should divide the SLO period's vector(30)", () => {
    expect(scaleNumberLiterals("vector(30)", 60)).toBe("vector(0.5)");
  });
});
