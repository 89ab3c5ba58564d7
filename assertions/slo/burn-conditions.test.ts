import { burnCondition, conditionClearMs, conditionOnsetMs, describeCondition, exprWindowMs, impossibleThresholds } from "./burn-conditions.js";

const H = 3_600_000;
const records = new Map([
  ["job:err:ratio_rate1h", 'sum(rate(req_total{code=~"5.."}[1h])) / sum(rate(req_total[1h]))'],
  ["slo:sli_error:ratio_rate1h", "sum(rate(e_total[1h])) / sum(rate(t_total[1h]))"],
  ["slo:sli_error:ratio_rate5m", "sum(rate(e_total[5m])) / sum(rate(t_total[5m]))"],
]);

describe("burnCondition", () => {
  it("should read a single-window threshold through a recording rule", () => {
    expect(burnCondition("job:err:ratio_rate1h > 0.01", records)).toEqual({ kind: "threshold", windowMs: H, threshold: 0.01 });
  });

  it("should read a raw ratio expression's window", () => {
    expect(burnCondition('sum(rate(r_total{code="500"}[30m])) / sum(rate(r_total[30m])) > 0.05', records)).toEqual({
      kind: "threshold",
      windowMs: 1_800_000,
      threshold: 0.05,
    });
  });

  it("should read a multi-window pair with constant arithmetic and aggregation wrappers", () => {
    const c = burnCondition("max(slo:sli_error:ratio_rate1h > (14.4 * 0.01)) without (w) and on() slo:sli_error:ratio_rate5m > (14.4 * 0.01)", records);
    expect(c.kind).toBe("and");
    expect(describeCondition(c, 0.01)).toBe("14.4x over 1h & 14.4x over 5m");
  });

  it("should read a reversed comparison", () => {
    expect(burnCondition("0.01 < job:err:ratio_rate1h", records)).toEqual({ kind: "threshold", windowMs: H, threshold: 0.01 });
  });

  it("should say why when it cannot read a condition", () => {
    expect(burnCondition("absent(up)", records)).toMatchObject({ kind: "unknown" });
    expect(burnCondition("job:err:ratio_rate1h < 0.01", records)).toMatchObject({
      kind: "unknown",
      reason: expect.stringContaining("fires when the ratio is low"),
    });
  });

  it("should find mixed windows undefined", () => {
    expect(exprWindowMs("rate(a[5m]) / rate(b[1h])", records)).toBeUndefined();
  });
});

describe("predictions", () => {
  const pair = burnCondition("(slo:sli_error:ratio_rate1h > 0.144 and slo:sli_error:ratio_rate5m > 0.144)", records);

  it("should predict the Workbook's time to fire for the long window", () => {
    // (1 - 0.99) / 1.0 × 1h × 14.4 = 8.64 min
    expect(conditionOnsetMs(pair, 1)).toBeCloseTo(0.144 * H, 6);
    expect(conditionOnsetMs(pair, 0.1)).toBe(Infinity);
  });

  it("should predict clearing by the short window of a pair", () => {
    // The 5m window holds errors until it slides past them: 5m × (1 − 0.144 / 1).
    expect(conditionClearMs(pair, 1, H)).toBeCloseTo(300_000 * (1 - 0.144), 6);
    expect(conditionClearMs(pair, 0.1, H)).toBeUndefined();
  });

  it("should flag thresholds no error ratio can exceed", () => {
    const thresholds = impossibleThresholds(burnCondition("slo:sli_error:ratio_rate1h > (14.4 * 0.1)", records));
    expect(thresholds).toHaveLength(1);
    expect(thresholds[0]).toBeCloseTo(1.44, 9);
    expect(impossibleThresholds(burnCondition("slo:sli_error:ratio_rate1h > (14.4 * 0.01)", records))).toEqual([]);
  });
});
