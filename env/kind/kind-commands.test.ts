import path from "node:path";
import YAML from "yaml";
import { CHART_REPOS, CHARTS, MONITORING_NAMESPACE } from "./chart-versions.js";
import * as cmd from "./kind-commands.js";
import { prometheusStackValues } from "./kind-environment.js";
import { kindStackMode, parseKindOptions } from "./kind-options.js";

const plan: cmd.ClusterPlan = { name: "slo-harness-abc123", runDir: "/tmp/slo-harness-kind-abc123" };

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

describe("kind config", () => {
  it("should make one control-plane node whose API server listens on 127.0.0.1 only", () => {
    const config = YAML.parse(cmd.kindConfig(plan));
    expect(config).toMatchObject({ kind: "Cluster", apiVersion: "kind.x-k8s.io/v1alpha4", name: plan.name });
    expect(config.networking.apiServerAddress).toBe("127.0.0.1");
    expect(config.nodes).toEqual([{ role: "control-plane" }]);
  });

  it("should publish no node port except on 127.0.0.1", () => {
    const config = YAML.parse(cmd.kindConfig({ ...plan, nodeImage: "kindest/node:v1.33.1" }));
    for (const node of config.nodes) {
      for (const mapping of node.extraPortMappings ?? []) expect(mapping.listenAddress).toBe("127.0.0.1");
    }
    expect(config.nodes[0].image).toBe("kindest/node:v1.33.1");
  });
});

describe("kind command lines", () => {
  it("should create the cluster with the run's kubeconfig, a 180s wait and the generated config", () => {
    const { command, args } = cmd.createClusterCommand(plan);
    expect(command).toBe("kind");
    expect(args.slice(0, 2)).toEqual(["create", "cluster"]);
    expect(flag(args, "--name")).toBe(plan.name);
    expect(flag(args, "--kubeconfig")).toBe(path.join(plan.runDir, "kubeconfig"));
    expect(flag(args, "--wait")).toBe("180s");
    expect(flag(args, "--config")).toBe(path.join(plan.runDir, "kind-config.yaml"));
  });

  it("should delete by name and load the target image into that cluster", () => {
    expect(cmd.deleteClusterCommand(plan.name)).toEqual({ command: "kind", args: ["delete", "cluster", "--name", plan.name] });
    expect(cmd.loadImageCommand(plan.name, ["orders-api:dev", "postgres:15-bookworm"])).toEqual({
      command: "kind",
      args: ["load", "docker-image", "orders-api:dev", "postgres:15-bookworm", "--name", plan.name],
    });
  });

  it("should pick the IPv4 gateway of the kind network, not its IPv6 one", () => {
    const ipam = JSON.stringify([
      { Subnet: "fc00:f853:ccd:e793::/64", Gateway: "fc00:f853:ccd:e793::1" },
      { Subnet: "172.18.0.0/16", Gateway: "172.18.0.1" },
    ]);
    expect(cmd.ipv4Gateway(ipam)).toBe("172.18.0.1");
    expect(cmd.ipv4Gateway("null")).toBeUndefined();
  });
});

describe("helm command lines", () => {
  it("should add each chart repository once, into the run's own repository config", () => {
    const adds = cmd.helmRepoAddCommands(plan);
    expect(adds.map((a) => a.args[2]).sort()).toEqual(Object.keys(CHART_REPOS).sort());
    for (const add of adds) {
      expect(add.args[3]).toMatch(/^https:\/\//);
      expect(flag(add.args, "--repository-config")!.startsWith(plan.runDir)).toBe(true);
      expect(flag(add.args, "--repository-cache")!.startsWith(plan.runDir)).toBe(true);
    }
  });

  it.each(Object.values(CHARTS))("should install $chart at its pinned version into monitoring and wait up to 10m", (chart) => {
    const { command, args } = cmd.helmInstallCommand(plan, chart, "/values", ["/run/extra.yaml"]);
    expect(command).toBe("helm");
    expect(args.slice(0, 4)).toEqual(["upgrade", "--install", chart.release, `${chart.repo}/${chart.chart}`]);
    expect(flag(args, "--version")).toBe(chart.version);
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(flag(args, "--namespace")).toBe(MONITORING_NAMESPACE);
    expect(args).toContain("--wait");
    expect(flag(args, "--timeout")).toBe("10m");
    expect(flag(args, "--kube-context")).toBe(`kind-${plan.name}`);
    expect(flag(args, "--kubeconfig")).toBe(path.join(plan.runDir, "kubeconfig"));
    // The static values first, the run's own last, so the run's win.
    expect(args.filter((_, i) => args[i - 1] === "--values")).toEqual([path.join("/values", chart.values), "/run/extra.yaml"]);
  });
});

describe("kube-prometheus-stack values", () => {
  it("should route pages and tickets to the harness's receiver as env/stack/alertmanager.yml does, replacing the chart's default routes", () => {
    const values = YAML.parse(prometheusStackValues("http://172.18.0.1:41234/alerts"));
    const config = values.alertmanager.config;
    // Unclaimed alerts reach nobody: an alert that lost its severity must not page.
    expect(config.route.receiver).toBe("unrouted");
    // Helm replaces lists whole, so these are the only routes: the chart's Watchdog route is gone.
    expect(config.route.routes).toEqual([
      { matchers: ['severity="page"'], receiver: "slo-harness" },
      { matchers: ['severity="ticket"'], receiver: "slo-harness-tickets" },
    ]);
    expect(config.inhibit_rules).toEqual([]);
    const hooks = config.receivers.flatMap((r: { webhook_configs?: { url: string }[] }) => r.webhook_configs ?? []);
    expect(hooks.map((h: { url: string }) => h.url)).toEqual(["http://172.18.0.1:41234/alerts", "http://172.18.0.1:41234/alerts"]);
  });

  it("should add the harness's metrics as a static scrape job, and no prometheus values without them", () => {
    const values = YAML.parse(prometheusStackValues("http://172.18.0.1:41234/alerts", "172.18.0.1:41235"));
    expect(values.prometheus.prometheusSpec.additionalScrapeConfigs).toEqual([
      { job_name: "slo-harness", static_configs: [{ targets: ["172.18.0.1:41235"] }] },
    ]);
    expect(YAML.parse(prometheusStackValues("http://172.18.0.1:41234/alerts")).prometheus).toBeUndefined();
  });
});

describe("parseKindOptions", () => {
  it("should default keepCluster to false", () => {
    expect(parseKindOptions({})).toEqual({ keepCluster: false });
  });

  it("should name env.options.clusterName when it is not a kind name", () => {
    expect(() => parseKindOptions({ clusterName: "My_Cluster" })).toThrow(/^env\.options\.clusterName: expected a kind cluster name/);
  });

  it("should name an unknown field", () => {
    expect(() => parseKindOptions({ image: "local" })).toThrow(/env\.options: unknown field "image"; did you mean "images"\?/);
  });

  it("should install the project's own manifests by default with local images, and the charts otherwise", () => {
    expect(kindStackMode(parseKindOptions({ images: "local" }))).toBe("manifests");
    expect(kindStackMode(parseKindOptions({}))).toBe("charts");
    expect(kindStackMode(parseKindOptions({ images: "upstream", stack: "manifests" }))).toBe("manifests");
    expect(() => parseKindOptions({ stack: "helm" })).toThrow('env.options.stack: expected "charts" or "manifests"');
  });
});
