import { readFileSync } from "node:fs";
import YAML from "yaml";
import { stackConfigPath } from "../../core/paths.js";
import { localTargetObjects } from "./local-target-manifest.js";
import { renderClusterPrometheusConfig } from "./stack-prometheus-config.js";
import { ruleKey, stackObjects } from "./stack-objects.js";
import { serviceHost, STACK_APPS } from "./stack-services.js";
import { withHostAliases } from "./service-host-aliases.js";
import { kubeTarget } from "./kube-target.js";
import { referenceTarget } from "../shared/reference-target.js";

const images = {
  collector: "slo-harness/collector:a",
  jaeger: "slo-harness/jaeger:b",
  logs: "slo-harness/logs:c",
  prometheus: "slo-harness/prometheus:d",
  alertmanager: "slo-harness/alertmanager:e",
};
const kube = kubeTarget(referenceTarget());
const objects = stackObjects({
  images,
  webhookUrl: "http://10.244.0.1:9095/alerts",
  ruleFiles: [{ name: "genomics-api.rules.yml", content: "groups: []\n" }],
  target: kube,
});
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the rendered objects are read as whatever YAML they hold; the test reaches into them
type Any = { kind: string; metadata: { name: string; namespace?: string }; spec?: any; data?: Record<string, string> };
const find = (kind: string, name: string) => (objects as unknown as Any[]).find((o) => o.kind === kind && o.metadata.name === name)!;
const env = (deployment: string) =>
  Object.fromEntries((find("Deployment", deployment).spec.template.spec.containers[0].env as { name: string; value: string }[]).map((e) => [e.name, e.value]));

describe("the stack's own manifests", () => {
  it("should run every component from its local image, never pulled, with a Service for each", () => {
    for (const app of Object.values(STACK_APPS)) {
      const container = find("Deployment", app).spec.template.spec.containers[0];
      expect(Object.values(images)).toContain(container.image);
      expect(container.imagePullPolicy).toBe("Never");
      expect(find("Service", app).spec.selector).toEqual({ app });
    }
  });

  it("should keep every scrape job of env/stack/prometheus.yml, discovered through the API server", () => {
    const local = YAML.parse(readFileSync(stackConfigPath("prometheus.yml"), "utf8")).scrape_configs.map((j: { job_name: string }) => j.job_name);
    const cluster = YAML.parse(renderClusterPrometheusConfig(kube));
    expect(cluster.scrape_configs.map((j: { job_name: string }) => j.job_name)).toEqual(local);
    for (const job of cluster.scrape_configs) expect(job.kubernetes_sd_configs).toHaveLength(1);
    // The target's job finds its Service's endpoints, by the Service's name and port name, as a ServiceMonitor does.
    const target = cluster.scrape_configs.find((j: { job_name: string }) => j.job_name === "genomics-api");
    expect(target.kubernetes_sd_configs[0]).toEqual({ role: "endpoints", namespaces: { names: ["genomics"] } });
    expect(target.relabel_configs[0]).toEqual({
      source_labels: ["__meta_kubernetes_service_name", "__meta_kubernetes_endpoint_port_name"],
      regex: "genomics-api;http",
      action: "keep",
    });
    expect(cluster.alerting.alertmanagers[0].kubernetes_sd_configs[0].role).toBe("pod");
    expect(find("ConfigMap", "prometheus-config").data!["prometheus.yml"]).toContain("kubernetes_sd_configs");
  });

  it("should scrape the harness's own metrics at the host address it is given, as a static target beside the discovered jobs", () => {
    const cluster = YAML.parse(renderClusterPrometheusConfig(kube, "10.244.0.1:41235"));
    const jobs = cluster.scrape_configs as { job_name: string; static_configs?: unknown; kubernetes_sd_configs?: unknown }[];
    expect(jobs.filter((j) => j.job_name === "slo-harness")).toEqual([{ job_name: "slo-harness", static_configs: [{ targets: ["10.244.0.1:41235"] }] }]);
    expect(jobs.filter((j) => j.job_name !== "slo-harness").every((j) => j.kubernetes_sd_configs)).toBe(true);
    expect(YAML.parse(renderClusterPrometheusConfig(kube)).scrape_configs.map((j: { job_name: string }) => j.job_name)).not.toContain("slo-harness");
  });

  it("should point the API's OTLP exporter at the collector's Service, and the collector at Jaeger's and VictoriaLogs'", () => {
    const api = localTargetObjects(kube, { postgres: "p" }).find((o) => o.kind === "Deployment" && o.metadata?.name === kube.deployment) as unknown as Any;
    const otlp = new URL(
      (api.spec.template.spec.containers[0].env as { name: string; value: string }[]).find((e) => e.name === "OTEL_EXPORTER_OTLP_ENDPOINT")!.value,
    );
    expect(otlp.hostname).toBe(serviceHost(STACK_APPS.collector));
    expect(find("Service", STACK_APPS.collector).spec.ports).toContainEqual({ name: "otlp-http", port: Number(otlp.port), targetPort: "otlp-http" });
    expect(env(STACK_APPS.collector)).toMatchObject({
      JAEGER_HOST: serviceHost(STACK_APPS.jaeger),
      LOGS_HOST: serviceHost(STACK_APPS.logs),
      LISTEN_HOST: "0.0.0.0",
    });
  });

  it("should page the harness's receiver from Alertmanager, and name rule files by their content", () => {
    expect(find("ConfigMap", "alertmanager-config").data!["alertmanager.yml"]).toContain("url: http://10.244.0.1:9095/alerts");
    expect(Object.keys(find("ConfigMap", "prometheus-rules").data!)).toEqual([ruleKey({ name: "genomics-api.rules.yml", content: "groups: []\n" })]);
    expect(ruleKey({ name: "x.yml", content: "a" })).not.toBe(ruleKey({ name: "x.yml", content: "b" }));
  });

  it("should give pods the Services' names where no cluster DNS answers them", () => {
    const aliases = [{ ip: "10.96.0.10", hostnames: ["jaeger.monitoring", "jaeger.monitoring.svc", "jaeger.monitoring.svc.cluster.local"] }];
    const [withAliases] = withHostAliases([find("Deployment", STACK_APPS.collector)], aliases) as unknown as Any[];
    expect(withAliases!.spec.template.spec.hostAliases).toEqual(aliases);
    expect(find("Deployment", STACK_APPS.collector).spec.template.spec.hostAliases).toBeUndefined();
  });
});
