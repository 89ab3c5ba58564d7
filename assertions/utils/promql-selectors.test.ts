import { formatMatchers, metricNames, vectorSelectors, withoutComparison } from "./promql-selectors.js";

describe("PromQL selectors", () => {
  it("should list every vector selector with its name and matchers, from the parse tree", () => {
    const expr =
      'sum by (job) (rate(django_x_total{job="a", status=~"5.."}[1m])) / on(job) foo:bar > 0.01 or ALERTS{alertstate="firing"} offset 5m or {__name__="zz", env!="dev"}';
    expect(vectorSelectors(expr)).toEqual([
      {
        name: "django_x_total",
        matchers: [
          { label: "job", op: "=", value: "a" },
          { label: "status", op: "=~", value: "5.." },
        ],
        text: 'django_x_total{job="a", status=~"5.."}',
      },
      { name: "foo:bar", matchers: [], text: "foo:bar" },
      { name: "ALERTS", matchers: [{ label: "alertstate", op: "=", value: "firing" }], text: 'ALERTS{alertstate="firing"}' },
      { name: "zz", matchers: [{ label: "env", op: "!=", value: "dev" }], text: '{__name__="zz", env!="dev"}' },
    ]);
    expect(metricNames(expr)).toEqual(["django_x_total", "foo:bar", "ALERTS", "zz"]);
  });

  it("should take a trailing comparison off, and leave other expressions whole", () => {
    expect(withoutComparison("job:genomics_api_error_ratio:rate1h > 0.9")).toEqual({ lhs: "job:genomics_api_error_ratio:rate1h", op: ">", value: 0.9 });
    expect(withoutComparison("a > 1 and b > 2")).toEqual({ lhs: "a > 1 and b > 2" });
    expect(withoutComparison("up")).toEqual({ lhs: "up" });
  });

  it("should print matchers back as PromQL", () => {
    expect(
      formatMatchers([
        { label: "job", op: "=", value: "a" },
        { label: "s", op: "=~", value: '5"x' },
      ]),
    ).toBe('{job="a", s=~"5\\"x"}');
  });
});
