import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { repoRoot } from "../../../core/paths.js";
import { PORT_NAMES, type ComponentContext } from "./component-context.js";
import { renderPrometheusConfig } from "./prometheus.js";

interface Job {
  job_name: string;
  metrics_path?: string;
  static_configs: { targets: string[] }[];
}

describe("the local provider's Prometheus config", () => {
  let dir: string;
  const saved = process.env.SLO_HARNESS_STACK_DIR;
  const ctx = (): ComponentContext => ({
    runDir: dir,
    ports: Object.fromEntries(PORT_NAMES.map((name, i) => [name, 20_000 + i])) as ComponentContext["ports"],
    track: () => undefined,
    dbProxy: false,
  });
  const jobs = (options: Parameters<typeof renderPrometheusConfig>[1]) => YAML.parse(renderPrometheusConfig(ctx(), options)).scrape_configs as Job[];

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "prometheus-config-"));
    cpSync(path.join(repoRoot, "env", "stack"), path.join(dir, "stack"), { recursive: true });
    process.env.SLO_HARNESS_STACK_DIR = path.join(dir, "stack");
  });

  afterEach(() => {
    if (saved === undefined) delete process.env.SLO_HARNESS_STACK_DIR;
    else process.env.SLO_HARNESS_STACK_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it("should rename the one job that is not the stack's own after the target, pointed at the target's port and path", () => {
    const target = jobs({ target: { job: "orders-api", metricsPath: "/internal/metrics" } }).find((j) => j.job_name === "orders-api");
    expect(target).toEqual({ job_name: "orders-api", metrics_path: "/internal/metrics", static_configs: [{ targets: ["127.0.0.1:20015"] }] });
  });

  it("should add a job for the target when the stack's prometheus.yml has none", () => {
    const config = path.join(dir, "stack", "prometheus.yml");
    const parsed = YAML.parse(readFileSync(config, "utf8"));
    parsed.scrape_configs = (parsed.scrape_configs as Job[]).filter((j) => j.job_name !== "genomics-api");
    writeFileSync(config, YAML.stringify(parsed));
    const found = jobs({ target: { job: "orders-api", metricsPath: "/metrics" } });
    expect(found.filter((j) => j.job_name === "orders-api")).toEqual([
      { job_name: "orders-api", metrics_path: "/metrics", static_configs: [{ targets: ["127.0.0.1:20015"] }] },
    ]);
  });

  it("should refuse a second job that is not the stack's own, naming both", () => {
    const config = path.join(dir, "stack", "prometheus.yml");
    writeFileSync(config, `${readFileSync(config, "utf8")}  - job_name: my-exporter\n    static_configs:\n      - targets: ["127.0.0.1:9999"]\n`);
    expect(() => jobs({})).toThrow(/prometheus\.yml: scrape jobs "genomics-api", "my-exporter" are not the stack's own/);
  });
});
