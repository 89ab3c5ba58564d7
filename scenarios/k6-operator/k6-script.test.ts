import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import ts from "typescript";
import { planLoad } from "../scenario-registry.js";
import { LoadSpec } from "../../core/experiment-spec.js";
import { loadModel } from "../../core/experiment-mapping.js";
import { getTemplate } from "../../core/request-mapping.js";
import { k6Script, k6Thresholds } from "./k6-script.js";
import { combine } from "./test-run.js";

const spike = planLoad(loadModel(LoadSpec.parse({ scenario: "spike", rate: "20/s", peakRate: "200/s", duration: "50s" })));

type K6Options = {
  scenarios: Record<string, { executor: string; startRate: number; stages: { duration: string; target: number }[] }>;
  thresholds: Record<string, string[]>;
};

/** The value of a literal expression (objects, arrays, strings, numbers, booleans), or a throw naming what is not one. */
function literal(node: ts.Expression): unknown {
  if (ts.isObjectLiteralExpression(node))
    return Object.fromEntries(
      node.properties.map((p) => {
        if (!ts.isPropertyAssignment(p) || !(ts.isStringLiteral(p.name) || ts.isIdentifier(p.name))) throw new Error(`not a plain property: ${p.getText()}`);
        return [p.name.text, literal(p.initializer)];
      }),
    );
  if (ts.isArrayLiteralExpression(node)) return node.elements.map(literal);
  if (ts.isStringLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) return -(literal(node.operand) as number);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  throw new Error(`not a literal: ${node.getText()}`);
}

/**
 * The generated script through TypeScript's own parser as the ES module k6 loads: no syntax
 * errors, imports only of k6's modules, the exports k6 calls (options, default, handleSummary),
 * and `options` read as the literal it is rather than cut out of the text.
 */
function parseK6Script(script: string): { errors: string[]; imports: string[]; exports: string[]; options?: K6Options } {
  const file = ts.createSourceFile("script.js", script, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const { diagnostics = [] } = ts.transpileModule(script, {
    fileName: "script.js",
    reportDiagnostics: true,
    compilerOptions: { allowJs: true, module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
  });
  const errors = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  if (errors.length > 0) return { errors, imports: [], exports: [] };
  const imports: string[] = [];
  const exports: string[] = [];
  let options: K6Options | undefined;
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) imports.push((statement.moduleSpecifier as ts.StringLiteral).text);
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isFunctionDeclaration(statement))
      exports.push(ts.getModifiers(statement)!.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ? "default" : statement.name!.text);
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations) {
        exports.push(d.name.getText());
        if (d.name.getText() === "options") options = literal(d.initializer!) as K6Options;
      }
  }
  return { errors, imports, exports, ...(options ? { options } : {}) };
}

function optionsOf(script: string): K6Options {
  return parseK6Script(script).options!;
}

describe("k6Script", () => {
  it("should parse as an ES module importing only k6's modules and exporting what k6 calls", () => {
    const parsed = parseK6Script(k6Script(spike, { baseUrl: "http://genomics-api.genomics.svc:8000" }).script);
    expect(parsed.errors).toEqual([]);
    expect(parsed.imports).toEqual(["k6/http", "k6/crypto", "k6/encoding"]);
    expect(parsed.exports.sort()).toEqual(["default", "handleSummary", "options"]);
    expect(Object.keys(parsed.options!.scenarios)).toEqual(["spike"]);
  });

  it("should find a syntax error with the same parser, so the check above can fail", () => {
    expect(parseK6Script("export const options = { a: 1 ;\nexport default function () {}").errors).not.toEqual([]);
  });

  it("should be a module k6 (and any ES parser) accepts", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "k6-script-")), "script.mjs");
    writeFileSync(file, k6Script(spike, { baseUrl: "http://genomics-api.genomics.svc:8000" }).script);
    await expect(execa(process.execPath, ["--check", file])).resolves.toMatchObject({ exitCode: 0 });
  });

  it("should replay the plan's stages as arrival-rate steps held flat, totalling the plan's duration", () => {
    const { scenarios } = optionsOf(k6Script(spike, { baseUrl: "http://api:8000" }).script);
    const s = scenarios.spike!;
    expect(s.executor).toBe("ramping-arrival-rate");
    expect(s.startRate).toBe(spike.stages[0]!.ratePerSecond);
    const seconds = s.stages.reduce((sum, st) => sum + Number(st.duration.replace("s", "")), 0);
    expect(seconds).toBe(spike.stages.reduce((sum, st) => sum + Math.round(st.durationMs / 1000), 0));
    expect(Math.max(...s.stages.map((st) => st.target))).toBe(200);
    expect(s.stages.map((st) => st.target)).toEqual(spike.stages.flatMap((st) => [st.ratePerSecond, st.ratePerSecond]));
  });

  it("should send a W3C traceparent and print a summary line the harness reads back", () => {
    const { script } = k6Script(spike, { baseUrl: "http://api:8000/" });
    expect(script).toContain('const BASE_URL = "http://api:8000";');
    expect(script).toContain('traceparent: "00-" + traceId + "-" + spanId + "-01"');
    expect(script).toContain('"SLO_HARNESS_K6_SUMMARY "');
  });

  it("should refuse a closed-model (rate 0) stage", () => {
    expect(() =>
      k6Script(
        { scenario: "capacity", requests: [getTemplate("/")], params: {}, timeoutMs: 1000, stages: [{ ratePerSecond: 0, durationMs: 1000, workers: 4 }] },
        { baseUrl: "http://api" },
      ),
    ).toThrow("load.scenario: capacity: k6-operator runs open-model (arrival-rate) load only; every stage needs a rate above 0/s");
  });
});

describe("k6Thresholds and combine", () => {
  it("should take the tightest error budget of the ratio SLOs and the p99 line", () => {
    expect(
      k6Thresholds([
        { objective: 0.99, sli: { kind: "ratio" } },
        { objective: 0.999, sli: { kind: "ratio" } },
        { objective: 0.9, sli: { kind: "latency" } },
      ]),
    ).toEqual({
      http_req_failed: ["rate<=0.001"],
      http_req_duration: ["p(99)<2000"],
    });
  });

  it("should add runners' requests and failures and keep the worst percentiles", () => {
    expect(
      combine([
        { http_reqs: { values: { count: 100 } }, http_req_failed: { values: { rate: 0.1 } }, http_req_duration: { values: { "p(95)": 120, "p(99)": 300 } } },
        { http_reqs: { values: { count: 300 } }, http_req_failed: { values: { rate: 0 } }, http_req_duration: { values: { "p(95)": 150, "p(99)": 250 } } },
      ]),
    ).toEqual({ runners: 2, requests: 400, failedRate: 0.025, p95Ms: 150, p99Ms: 300 });
  });
});
