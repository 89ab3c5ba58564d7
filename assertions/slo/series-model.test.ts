import path from "node:path";
import { repoRoot } from "../../core/paths.js";
import { seriesModel } from "./series-model.js";
import type { SloDefinition } from "./slo-definition.js";
import { loadSloFile } from "./slo-loader.js";

const base = { name: "x", service: "x", objective: 0.99, period: "30d", periodMs: 2_592_000_000, clientErrors: "5xx" as const, source: "test" };

describe("seriesModel", () => {
  it("should make up an error and a success series for the shipped availability SLO", () => {
    const slo = loadSloFile(path.join(repoRoot, "slos", "analysis-availability-99.yaml"))[0]!;
    const model = seriesModel(slo);
    expect(model.bad!.labels).toEqual({ job: "genomics-api", view: "variant-analysis", status: "500" });
    expect(model.good!.labels.status).toBe("200");
  });

  it("should use the bucket and the count for a latency SLO", () => {
    const slo = loadSloFile(path.join(repoRoot, "slos", "analysis-latency-99-under-2500ms.yaml"))[0]!;
    const model = seriesModel(slo);
    expect(model.good).toEqual({
      metric: "django_http_requests_latency_seconds_by_view_method_bucket",
      labels: { job: "genomics-api", view: "variant-analysis", le: "2.5" },
    });
    expect(model.total!.metric).toBe("django_http_requests_latency_seconds_by_view_method_count");
  });

  it("should find a value outside a negative regex for a good query", () => {
    const slo: SloDefinition = {
      ...base,
      sli: { kind: "ratio", goodQuery: 'sum(rate(r_total{code!~"5..|429"}[{{window}}]))', totalQuery: "sum(rate(r_total[{{window}}]))" },
    };
    const model = seriesModel(slo);
    expect(model.good!.labels.code).toBe("200");
    expect(model.bad!.labels.code).toMatch(/^(5..|429)$/);
  });

  it("should refuse queries with several selectors, naming the SLO", () => {
    const slo: SloDefinition = {
      ...base,
      sli: { kind: "ratio", badQuery: "sum(rate(a_total[{{window}}])) + sum(rate(b_total[{{window}}]))", totalQuery: "sum(rate(t_total[{{window}}]))" },
    };
    expect(() => seriesModel(slo)).toThrow(/test: x: bad query: a backtest needs exactly one named metric selector/);
  });
});
