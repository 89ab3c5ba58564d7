import YAML from "yaml";
import { upstreamImages } from "./container-images.js";
import { renderPrometheusConfig, type StackPlan } from "./stack-containers.js";

type Job = { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] };

const plan = (extra: Partial<StackPlan> = {}): StackPlan => ({
  images: upstreamImages(),
  network: "slo-abc-net",
  prefix: "slo-abc",
  webhookUrl: "http://172.18.0.1:40000/alerts",
  maxConnections: 40,
  ruleFiles: [],
  labels: {},
  hostPorts: {},
  dbProxy: false,
  target: { name: "checkout-api", port: 8080, metricsPath: "/metrics" },
  ...extra,
});

const jobs = (p: StackPlan) => (YAML.parse(renderPrometheusConfig(p)) as { scrape_configs: Job[] }).scrape_configs;

describe("the testcontainers stack's Prometheus config", () => {
  it("should scrape the harness's own metrics on the network's gateway, beside the target's job", () => {
    const all = jobs(plan({ harnessMetrics: "172.18.0.1:41234" }));
    expect(all.find((j) => j.job_name === "slo-harness")).toEqual({ job_name: "slo-harness", static_configs: [{ targets: ["172.18.0.1:41234"] }] });
    expect(all.find((j) => j.job_name === "checkout-api")?.static_configs).toEqual([{ targets: ["slo-abc-checkout-api:8080"] }]);
    expect(all.filter((j) => j.job_name === "slo-harness")).toHaveLength(1);
  });

  it("should have no harness job when no harness metrics are served", () => {
    expect(jobs(plan()).map((j) => j.job_name)).not.toContain("slo-harness");
  });
});
