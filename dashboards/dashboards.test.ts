import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import YAML from "yaml";
import { repoRoot } from "../core/paths.js";
import { cachedTool } from "../core/tool-binaries.js";
import { ReportSchema, type Report } from "../core/report-schema.js";
import { parsePromql } from "../assertions/slo/utils/promql-tree.js";
import { PrometheusClient } from "../assertions/clients/prometheus-client.js";
import { runCli, type CliResult } from "../test/cli.js";

/**
 * The dashboards ship as files no Grafana or Perses here can load (Grafana is AGPL, Perses cannot be
 * fetched), so the Grafana one is decoded with the types Grafana's own schema generates, and what
 * can rot in both is their PromQL: a renamed recording rule or harness metric leaves a panel empty
 * without any error. Every query must parse, both dashboards must ask the same questions, and each
 * question must get an answer from a real stack after a short game day.
 */

const GRAFANA_FILE = path.join(repoRoot, "dashboards", "slo-harness.grafana.json");
const PERSES_FILE = path.join(repoRoot, "dashboards", "slo-harness.perses.yaml");

interface DashboardQuery {
  /** Where the query sits, for messages: file, panel title, target. */
  where: string;
  expr: string;
}

interface Dashboard {
  queries: DashboardQuery[];
  /** Template variables by name, with their default values. */
  variables: Record<string, string>;
}

interface GrafanaPanel {
  title?: string;
  panels?: GrafanaPanel[];
  targets?: { refId?: string; expr?: string }[];
}

function grafanaDashboard(file: string): Dashboard {
  const doc = JSON.parse(readFileSync(file, "utf8")) as {
    panels: GrafanaPanel[];
    annotations: { list: { name: string; builtIn?: number; expr?: string }[] };
    templating: { list: { name: string; current: { value: string } }[] };
  };
  const name = path.basename(file);
  const queries: DashboardQuery[] = [];
  const visit = (panel: GrafanaPanel) => {
    for (const t of panel.targets ?? []) if (t.expr) queries.push({ where: `${name}: panel "${panel.title}" target ${t.refId}`, expr: t.expr });
    for (const inner of panel.panels ?? []) visit(inner);
  };
  doc.panels.forEach(visit);
  for (const a of doc.annotations.list) if (!a.builtIn && a.expr) queries.push({ where: `${name}: annotation "${a.name}"`, expr: a.expr });
  return { queries, variables: Object.fromEntries(doc.templating.list.map((v) => [v.name, v.current.value])) };
}

interface PersesPlugin<S> {
  kind: string;
  spec: S;
}

function persesDashboard(file: string): Dashboard {
  const doc = YAML.parse(readFileSync(file, "utf8")) as {
    kind: string;
    spec: {
      panels: Record<string, { spec: { display: { name: string }; queries?: { spec: { plugin: PersesPlugin<{ query: string }> } }[] } }>;
      annotations?: { display: { name: string }; plugin: PersesPlugin<{ expr: string }> }[];
      variables: { spec: { name: string; defaultValue: string } }[];
    };
  };
  if (doc.kind !== "Dashboard") throw new Error(`${file}: kind: expected "Dashboard", got ${JSON.stringify(doc.kind)}`);
  const name = path.basename(file);
  const queries: DashboardQuery[] = [];
  for (const [key, panel] of Object.entries(doc.spec.panels))
    (panel.spec.queries ?? []).forEach((q, i) =>
      queries.push({ where: `${name}: panels.${key} ("${panel.spec.display.name}") queries[${i}]`, expr: q.spec.plugin.spec.query }),
    );
  for (const a of doc.spec.annotations ?? []) queries.push({ where: `${name}: annotation "${a.display.name}"`, expr: a.plugin.spec.expr });
  return { queries, variables: Object.fromEntries(doc.spec.variables.map((v) => [v.spec.name, v.spec.defaultValue])) };
}

/** Fills in $name and ${name} as Grafana and Perses both do; an unknown name is a dashboard bug. */
function fillVariables(q: DashboardQuery, variables: Record<string, string>): string {
  return q.expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const value = variables[name];
    if (value === undefined) throw new Error(`${q.where}: $${name} is not a variable of the dashboard (it has ${Object.keys(variables).join(", ")})`);
    return value;
  });
}

const grafana = grafanaDashboard(GRAFANA_FILE);
const perses = persesDashboard(PERSES_FILE);
const dashboards = [grafana, perses];

describe("the shipped dashboards", () => {
  it("should parse every panel and annotation query as PromQL once its variables are filled in", () => {
    const broken: string[] = [];
    for (const d of dashboards)
      for (const q of d.queries) {
        try {
          parsePromql(fillVariables(q, d.variables));
        } catch (err) {
          broken.push(`${q.where}: ${(err as Error).message}: ${q.expr}`);
        }
      }
    expect(broken).toEqual([]);
  });

  it("should carry the same queries and variables in Grafana and Perses", () => {
    const exprs = (d: Dashboard) => [...new Set(d.queries.map((q) => q.expr))].sort();
    expect(grafana.queries.length).toBeGreaterThan(0);
    expect(exprs(perses)).toEqual(exprs(grafana));
    expect(perses.variables).toEqual(grafana.variables);
  });

  it("should decode strictly with the types Grafana's schema generates, which do reject a broken dashboard", async () => {
    const check = cachedTool("grafana-dashboard-check");
    const ok = await execa(check, [GRAFANA_FILE], { reject: false });
    expect({ code: ok.exitCode, out: ok.stdout }).toEqual({ code: 0, out: "" });
    const broken = path.join(mkdtempSync(path.join(tmpdir(), "dashboards-")), "broken.json");
    const doc = JSON.parse(readFileSync(GRAFANA_FILE, "utf8")) as { panels: Record<string, unknown>[] };
    doc.panels[1]!.gridPosition = doc.panels[1]!.gridPos;
    delete (doc.panels[2]!.options as { legend: { calcs?: unknown } }).legend.calcs;
    writeFileSync(broken, JSON.stringify(doc));
    const bad = await execa(check, [broken], { reject: false });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain("panels[1].Panel: unexpected field 'gridPosition'");
    expect(bad.stdout).toContain("panels[2].options.legend.calcs: required field is missing from input");
  });

  it("should take its Grafana datasource from an import input, so it imports into any Grafana", () => {
    const doc = JSON.parse(readFileSync(GRAFANA_FILE, "utf8")) as { __inputs: { name: string; pluginId: string }[] };
    expect(doc.__inputs).toEqual([expect.objectContaining({ name: "DS_PROMETHEUS", pluginId: "prometheus" })]);
    // Every datasource reference, nested anywhere; the others are Grafana's built-in one and the dashboard's own uid.
    const uids = [...readFileSync(GRAFANA_FILE, "utf8").matchAll(/"uid": "([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(uids.filter((u) => u !== "-- Grafana --" && u !== "slo-harness"))).toEqual(new Set(["${DS_PROMETHEUS}"]));
  });
});

/**
 * A short real game day on the embedded stack: load, one fault (so slo_harness_fault_active and
 * the error ratio move) and expectations that pass (so detection latencies are recorded). The
 * stack folder is a copy of env/stack that also loads the SLO rules `slo-harness slo rules`
 * generated, as a team that adopts them would; burn rates and the error budget come from them.
 */
const EXPERIMENT = `
title: Does every dashboard panel have data after a short game day?
env: { provider: local }
allowlist: [postgres]
load: { scenario: steady, rate: 10/s, duration: 60s }
steadyState:
  before: [api-healthy, targets-up]
  after: [api-healthy]
faults:
  - id: pool-exhausted
    injector: pool-exhaustion
    target: postgres
    with: { mode: connections, hold: 100% }
    at: 20s
    duration: 15s
expectations:
  - id: requests-are-recorded
    metric: 'sum(rate(django_http_responses_total_by_status_view_method_total{job="genomics-api", view="variant-analysis"}[30s])) > 0'
    within: 45s of run-start
  - id: error-ratio-rises
    metric: 'job:genomics_api_error_ratio:rate1m > 0'
    within: 40s of pool-exhausted.start
slos: [analysis-availability-99]
`;

function stackWithGeneratedRules(dir: string): string {
  const stack = path.join(dir, "stack");
  cpSync(path.join(repoRoot, "env", "stack"), stack, { recursive: true });
  const configFile = path.join(stack, "prometheus.yml");
  const config = YAML.parse(readFileSync(configFile, "utf8")) as { rule_files: string[] };
  config.rule_files.push("rules/generated/analysis-availability-99.rules.yml", "rules/generated/analysis-latency-99-under-2500ms.rules.yml");
  writeFileSync(configFile, YAML.stringify(config));
  return stack;
}

describe("the shipped dashboards, against the embedded stack after a game day", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-dashboards-"));
  const out = path.join(dir, "report");
  let run: ReturnType<typeof runCli> | undefined;
  let result: CliResult;
  let report: Report | undefined;
  let prometheus: PrometheusClient;

  beforeAll(async () => {
    const experiment = path.join(dir, "dashboard-data.yaml");
    writeFileSync(experiment, EXPERIMENT);
    run = runCli(["run", experiment, "--out", out, "--keep", "--stack", stackWithGeneratedRules(dir)]);
    result = await run.result;
    try {
      report = ReportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")));
    } catch (err) {
      throw new Error(`the game day wrote no readable report (exit ${result.code}): ${(err as Error).message}\n${result.stderr.slice(-3000)}`);
    }
    prometheus = new PrometheusClient(report.environment.endpoints.prometheus!, 15_000);
  }, 300_000);

  afterAll(async () => {
    if (run?.child.exitCode === null) run.child.kill("SIGKILL");
    if (report) await runCli(["down", "--run-dir", report.environment.endpoints.runDir!]).result;
  });

  it("should have run the game day it queries: the fault took effect and every expectation passed", () => {
    expect(report!.faults.map((f) => [f.id, f.effectVerified])).toEqual([["pool-exhausted", true]]);
    expect(report!.expectations.map((e) => [e.id, e.verdict])).toEqual([
      ["requests-are-recorded", "pass"],
      ["error-ratio-rises", "pass"],
    ]);
  });

  it("should answer every dashboard query with data over the run", async () => {
    const start = new Date(report!.startedAt);
    const end = new Date();
    const empty: string[] = [];
    // Perses holds the same queries (checked above), so Grafana's list covers both files.
    for (const q of grafana.queries) {
      const expr = fillVariables(q, grafana.variables);
      // One failed query must not hide whether the others have data, so each records its own outcome.
      const series = await prometheus.queryRange(expr, start, end, 5).catch((err: Error) => err);
      if (series instanceof Error) empty.push(`${q.where}: ${series.message}: ${expr}`);
      else if (!series.some((s) => s.values.length > 0)) empty.push(`${q.where}: no data from ${start.toISOString()} to ${end.toISOString()}: ${expr}`);
    }
    expect(empty).toEqual([]);
  });

  it("should offer each variable's default among the values Prometheus holds", async () => {
    const doc = JSON.parse(readFileSync(GRAFANA_FILE, "utf8")) as { templating: { list: { name: string; definition: string }[] } };
    for (const v of doc.templating.list) {
      const match = /^label_values\(([^,]+), (\w+)\)$/.exec(v.definition);
      if (!match) throw new Error(`${path.basename(GRAFANA_FILE)}: variable ${v.name}: expected label_values(<metric>, <label>), got ${v.definition}`);
      expect({ variable: v.name, values: await prometheus.labelValues(match[2]!, match[1]) }).toEqual({
        variable: v.name,
        values: expect.arrayContaining([grafana.variables[v.name]]),
      });
    }
  });
});
