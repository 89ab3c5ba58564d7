import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "../../core/paths.js";
import { errorRatioQuery } from "./slo-definition.js";
import { fromExperimentSlo, loadSloDir, loadSloFile } from "./slo-loader.js";

const VALID = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
spec:
  service: checkout
  indicator:
    metadata: { name: checkout-errors }
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource: { type: Prometheus, spec: { query: 'sum(rate(http_requests_total{code!~"5.."}[{{.window}}]))' } }
        total:
          metricSource: { type: Prometheus, spec: { query: 'sum(rate(http_requests_total[{{.window}}]))' } }
  timeWindow: [{ duration: 28d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.999 }]
`;

function write(text: string, name = "slo.yaml"): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "slo-harness-test-")), name);
  writeFileSync(file, text);
  return file;
}

describe("loadSloFile", () => {
  it("should read the shipped availability SLO as a ratio SLI", () => {
    const [slo] = loadSloFile(path.join(repoRoot, "slos", "analysis-availability-99.yaml"));
    expect(slo).toMatchObject({
      name: "analysis-availability-99",
      service: "genomics-api",
      objective: 0.99,
      period: "30d",
      periodMs: 2_592_000_000,
      clientErrors: "any-failure",
    });
    expect(slo!.sli.kind).toBe("ratio");
    expect(errorRatioQuery(slo!, "5m")).toContain('status=~"5.."}[5m]');
  });

  it("should read a histogram-bucket good query as a latency SLI with its threshold", () => {
    const [slo] = loadSloFile(path.join(repoRoot, "slos", "analysis-latency-99-under-2500ms.yaml"));
    expect(slo!.sli).toMatchObject({ kind: "latency", thresholdSeconds: 2.5 });
  });

  it("should accept Sloth's {{.window}} and a good query", () => {
    const [slo] = loadSloFile(write(VALID));
    expect(slo!.period).toBe("28d");
    expect(errorRatioQuery(slo!, "1h")).toBe(
      '1 - (\n(\n  (sum(rate(http_requests_total{code!~"5.."}[1h])))\n  or\n  (sum(rate(http_requests_total[1h]))) * 0\n)\n/\n(sum(rate(http_requests_total[1h])))\n)',
    );
  });

  it("should read every document of a multi-document file", () => {
    const second = VALID.replace("checkout-availability", "checkout-availability-2");
    expect(loadSloFile(write(`${VALID}---\n${second}`)).map((s) => s.name)).toEqual(["checkout-availability", "checkout-availability-2"]);
  });

  it("should name the file and field path of a bad target", () => {
    const file = write(VALID.replace("target: 0.999", "target: 99.9"));
    expect(() => loadSloFile(file)).toThrow(new RegExp(`${file}: spec\\.objectives\\[0\\]\\.target: `));
  });

  it("should refuse a query without a window placeholder, saying where it goes", () => {
    const file = write(VALID.replace("[{{.window}}]))' } }\n  timeWindow", "[5m]))' } }\n  timeWindow"));
    expect(() => loadSloFile(file)).toThrow(/ratioMetric\.total\.metricSource\.spec\.query: the query has no "\{\{window\}\}"/);
  });

  it("should refuse both good and bad", () => {
    const file = write(
      VALID.replace("        good:", "        bad:\n          metricSource: { type: Prometheus, spec: { query: 'x[{{window}}]' } }\n        good:"),
    );
    expect(() => loadSloFile(file)).toThrow(/give exactly one of good or bad/);
  });

  it("should refuse an unknown client error class", () => {
    const file = write(VALID.replace("  name: checkout-availability\n", "  name: checkout-availability\n  annotations: { slo-harness/client-errors: 4xx }\n"));
    expect(() => loadSloFile(file)).toThrow(/metadata\.annotations\.slo-harness\/client-errors: expected one of 5xx, non-2xx, any-failure, got "4xx"/);
  });
});

describe("experiment SLOs", () => {
  it("should convert an inline SLO with its objective in percent", () => {
    const slo = fromExperimentSlo(
      {
        name: "api-availability",
        objective: 99.5,
        window: "7d",
        errorQuery: "sum(rate(e_total[{{window}}]))",
        totalQuery: "sum(rate(t_total[{{window}}]))",
        clientErrors: "non-2xx",
      },
      "exp.yaml",
    );
    expect(slo).toMatchObject({ objective: 0.995, periodMs: 604_800_000, clientErrors: "non-2xx" });
  });

  it("should convert an inline SLO given by good events, a histogram bucket making it a latency SLO", () => {
    const slo = fromExperimentSlo(
      {
        name: "api-fast",
        objective: 99,
        window: "30d",
        goodQuery: 'sum(rate(h_bucket{le="0.5"}[{{window}}]))',
        totalQuery: "sum(rate(h_count[{{window}}]))",
        clientErrors: "5xx",
      },
      "exp.yaml",
    );
    expect(slo.sli).toMatchObject({ kind: "latency", thresholdSeconds: 0.5 });
    expect(errorRatioQuery(slo, "5m")).toMatch(/^1 - \(/);
  });

  it("should name the inline SLO's field whose query has no window", () => {
    const def = {
      name: "api-ok",
      objective: 99,
      window: "30d",
      goodQuery: "sum(rate(ok_total[5m]))",
      totalQuery: "t[{{window}}]",
      clientErrors: "5xx" as const,
    };
    expect(() => fromExperimentSlo(def, "exp.yaml")).toThrow('exp.yaml: slos.api-ok.goodQuery: the query has no "{{window}}"');
  });

  it("should refuse two SLOs with one name", () => {
    const file = write(VALID);
    writeFileSync(path.join(path.dirname(file), "copy.yaml"), VALID);
    expect(() => loadSloDir(path.dirname(file))).toThrow(/"checkout-availability" is also defined in/);
  });
});
