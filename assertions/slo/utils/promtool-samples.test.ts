import { parseGotSamples } from "./promtool-samples.js";

describe("parseGotSamples", () => {
  it("should read every sample of promtool's got lines, with exact values", () => {
    const output = [
      "  FAILED:",
      '    expr: "x", time: 3d,',
      "        exp: nil",
      '        got: {alertname="Burn", severity="page"} 4.381E+03, {alertname="Other"} 1.0333333333333333E-02',
      '    expr: "y", time: 3d,',
      "        exp: nil",
      "        got: nil",
    ].join("\n");
    expect(parseGotSamples(output)).toEqual([
      { labels: { alertname: "Burn", severity: "page" }, value: 4381 },
      { labels: { alertname: "Other" }, value: 0.010333333333333333 },
    ]);
  });

  it("should keep commas, braces and escaped quotes inside label values", () => {
    const output = '        got: {description="a, b} \\"c\\"", job="x"} 2E+00';
    expect(parseGotSamples(output)).toEqual([{ labels: { description: 'a, b} "c"', job: "x" }, value: 2 }]);
  });
});
