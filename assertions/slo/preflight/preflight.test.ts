import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cacheDir, repoRoot } from "../../../core/paths.js";
import { preflight, stackRuleFiles } from "./preflight.js";
import { checkMetricsExposed, parseExposition } from "./metric-check.js";
import { checkRoutes } from "./route-check.js";
import { collectorValidate } from "./tool-checks.js";
import type { RuleFile } from "../utils/rule-file.js";

const stack = path.join(repoRoot, "env", "stack");
const article = path.join(stack, "rules", "fixtures", "article-genomics-api.rules.yml");
const collector = path.join(cacheDir(), "bin", "otelcol-slo");

function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "slo-harness-test-")), name);
  writeFileSync(file, text);
  return file;
}

describe("stackRuleFiles", () => {
  it("should list each rule file once, absolute, when the stack is named by a relative path (slo backtest env/stack)", () => {
    const relative = path.relative(process.cwd(), stack);
    const files = stackRuleFiles(relative);
    expect(files).toEqual(stackRuleFiles(stack));
    expect(files.filter((f) => f.endsWith("genomics-api.rules.yml"))).toEqual([path.join(stack, "rules", "genomics-api.rules.yml")]);
    expect(new Set(files).size).toBe(files.length);
  });
});

describe("preflight", () => {
  it("should pass the shipped stack with every tool's own validation", async () => {
    const results = await preflight(stack, { collectorBinary: collector });
    const failed = results.filter((r) => r.status === "fail");
    expect(failed).toEqual([]);
    for (const check of ["promtool check config", "promtool check rules", "amtool check-config", "otelcol validate", "route AnalysisAPIErrorBudgetBurn"]) {
      expect(results.some((r) => r.check.startsWith(check) && r.status === "pass")).toBe(true);
    }
    expect(results.find((r) => r.check === "metrics exposed")!.status).toBe("skip");
  }, 60_000);

  it("should flag the article's rule file: promtool's error and both template functions", async () => {
    const results = await preflight(stack, { collectorBinary: collector, extraRuleFiles: [article] });
    const promtool = results.find((r) => r.check.startsWith("promtool check rules") && r.check.endsWith("article-genomics-api.rules.yml"))!;
    expect(promtool.status).toBe("fail");
    expect(promtool.detail).toContain('function "mul" not defined');
    const templates = results.find((r) => r.check.startsWith("templates") && r.check.endsWith("article-genomics-api.rules.yml"))!;
    expect(templates.status).toBe("fail");
    expect(templates.detail).toContain('no "mul" or "div"');
  }, 60_000);
});

describe("checkRoutes", () => {
  it("should fail an alert routed to a receiver with no integrations", async () => {
    const config = tempFile(
      "alertmanager.yml",
      readFileSync(path.join(stack, "alertmanager.yml"), "utf8").replace("      receiver: slo-harness-tickets\n", "      receiver: nobody\n") +
        "  - name: nobody\n",
    );
    const rules: RuleFile = {
      groups: [
        {
          name: "g",
          rules: [
            { alert: "Burn", expr: "x > 1", labels: { severity: "ticket" } },
            { alert: "Burn", expr: "x > 1", labels: { severity: "page" } },
          ],
        },
      ],
    };
    const [ticket, page] = await checkRoutes(config, [{ file: "r.yml", rules }]);
    expect(ticket!.status).toBe("fail");
    expect(ticket!.detail).toContain("routes to nobody; receiver nobody has no integrations");
    expect(page!.status).toBe("pass");
  });
});

describe("checkMetricsExposed", () => {
  const exposition = parseExposition(
    "api",
    "fixture",
    '# TYPE http_requests_total counter\nhttp_requests_total{code="200",path="/a"} 5\nhttp_requests_total{code="500",path="/a"} 1\n',
  );
  const rules = (expr: string): { file: string; rules: RuleFile }[] => [
    { file: "r.yml", rules: { groups: [{ name: "g", rules: [{ record: "job:x:rate5m", expr }] }] } },
  ];

  it("should pass a metric the target exposes with matching series", () => {
    expect(checkMetricsExposed(rules('rate(http_requests_total{job="api", code="500"}[5m])'), [exposition], ["api"])[0]!.status).toBe("pass");
  });

  it("should fail a metric the target does not expose, with the naming hint", () => {
    const [result] = checkMetricsExposed(rules('rate(http_request_total{job="api"}[5m])'), [exposition], ["api"]);
    expect(result!.status).toBe("fail");
    expect(result!.detail).toContain("r.yml: groups[0].rules[0] (job:x:rate5m): not exposed by api (fixture); check the name");
  });

  it("should warn when the name exists but no series has the labels yet", () => {
    expect(checkMetricsExposed(rules('rate(http_requests_total{code="503"}[5m])'), [exposition], ["api"])[0]!.status).toBe("warn");
  });

  it("should fail a job matcher that names no scrape job", () => {
    const [result] = checkMetricsExposed(rules('rate(http_requests_total{job="apii"}[5m])'), [exposition], ["api"]);
    expect(result!.detail).toContain('job="apii" names no scrape job of prometheus.yml (api)');
  });
});

describe("collectorValidate", () => {
  it("should fail a pipeline that names an exporter the config lacks", async () => {
    const broken = tempFile(
      "otel.yaml",
      readFileSync(path.join(stack, "otel-collector.yaml"), "utf8").replace("exporters: [otlp/jaeger]", "exporters: [otlp/nowhere]"),
    );
    const result = await collectorValidate(collector, broken);
    expect(result.status).toBe("fail");
    expect(result.detail).toContain('references exporter "otlp/nowhere" which is not configured');
  });
});
