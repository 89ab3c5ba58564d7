import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { KubernetesObject, V1Container, V1Deployment, V1Volume, V1VolumeMount } from "@kubernetes/client-node";
import type { RuleFile } from "../../core/environment.js";
import { alertmanagerConfigFor } from "../shared/alertmanager-config.js";
import { stackConfigPath } from "../../core/paths.js";
import type { StackImages } from "../testcontainers/container-images.js";
import { CONTAINER_PORTS as P } from "../testcontainers/stack-containers.js";
import { MONITORING_NAMESPACE as NS } from "./chart-versions.js";
import { RULES_MOUNT, renderClusterPrometheusConfig } from "./stack-prometheus-config.js";
import { serviceHost, STACK_APPS as APP } from "./stack-services.js";
import type { KubeTarget } from "./kube-target.js";

export interface StackManifestOptions {
  images: Pick<StackImages, "collector" | "jaeger" | "logs" | "prometheus" | "alertmanager">;
  /** Where Alertmanager's webhooks reach the harness's receiver, e.g. http://10.244.0.1:40123/alerts. */
  webhookUrl: string;
  /** The stack's rule files (or time-compressed copies), mounted into Prometheus. */
  ruleFiles: RuleFile[];
  /** The service under test, which Prometheus scrapes through its Service's endpoints. */
  target: Pick<KubeTarget, "name" | "namespace" | "service" | "portName" | "metricsPath">;
  /** host:port where the harness serves its own metrics to the cluster's pods, scraped as job "slo-harness". */
  harnessMetrics?: string;
}

const GENERATED = { "app.kubernetes.io/managed-by": "slo-harness" };
/** Prometheus's rule files: swapped by applyRules, so named apart from the rest. */
export const RULES_CONFIGMAP = "prometheus-rules";

interface Component {
  app: string;
  image: string;
  args: string[];
  env?: Record<string, string>;
  ports: Record<string, number>;
  /** HTTP GET path and port name that answer once the component serves. */
  ready: [path: string, port: string];
  /** ConfigMap or emptyDir volumes, by mount path. */
  mounts?: Record<string, { configMap: string } | { emptyDir: true }>;
  serviceAccount?: string;
}

function configMap(name: string, data: Record<string, string>): KubernetesObject & { data: Record<string, string> } {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: NS, labels: GENERATED }, data };
}

/** One replica of a component and the Service in front of it, with every port it listens on. */
function component(c: Component): KubernetesObject[] {
  const mounts = Object.entries(c.mounts ?? {});
  const volumes: V1Volume[] = mounts.map(([, v], i) =>
    "configMap" in v ? { name: `v${i}`, configMap: { name: v.configMap } } : { name: `v${i}`, emptyDir: {} },
  );
  const volumeMounts: V1VolumeMount[] = mounts.map(([mountPath], i) => ({ name: `v${i}`, mountPath }));
  const container: V1Container = {
    name: c.app,
    image: c.image,
    // Built here (slo-harness images build) and imported into the node: never pulled.
    imagePullPolicy: "Never",
    args: c.args,
    env: Object.entries(c.env ?? {}).map(([name, value]) => ({ name, value })),
    ports: Object.entries(c.ports).map(([name, containerPort]) => ({ name, containerPort })),
    readinessProbe: { httpGet: { path: c.ready[0], port: c.ready[1] }, periodSeconds: 2 },
    volumeMounts,
  };
  const labels = { app: c.app };
  const deployment: V1Deployment & KubernetesObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: c.app, namespace: NS, labels: { ...labels, ...GENERATED } },
    spec: {
      replicas: 1,
      // In-memory stores: two at once would split what the harness reads.
      strategy: { type: "Recreate" },
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [container], volumes, ...(c.serviceAccount ? { serviceAccountName: c.serviceAccount } : {}) } },
    },
  };
  const service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: c.app, namespace: NS, labels: { ...labels, ...GENERATED } },
    spec: { selector: labels, ports: Object.entries(c.ports).map(([name, port]) => ({ name, port, targetPort: name })) },
  };
  return [deployment, service];
}

/** Prometheus's Kubernetes service discovery reads pods, Services and their endpoints in every namespace it scrapes. */
function prometheusRbac(): KubernetesObject[] {
  const name = "slo-harness-prometheus";
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: APP.prometheus, namespace: NS, labels: GENERATED } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name, labels: GENERATED },
      rules: [
        { apiGroups: [""], resources: ["pods", "services", "endpoints", "nodes"], verbs: ["get", "list", "watch"] },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
      ],
    } as KubernetesObject,
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name, labels: GENERATED },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: [{ kind: "ServiceAccount", name: APP.prometheus, namespace: NS }],
    } as KubernetesObject,
  ];
}

/**
 * The rules ConfigMap's key for a rule file: its name with a hash of its content, so that after a
 * swap "loaded" is exact: Prometheus's rules API names the file each group came from.
 */
export function ruleKey(file: RuleFile): string {
  const stem = file.name.replace(/\.ya?ml$/, "");
  return `${stem}-${createHash("sha256").update(file.content).digest("hex").slice(0, 8)}.yml`;
}

/** Prometheus's rule files, one key each, as its rule_files glob expects. */
export function rulesConfigMap(files: RuleFile[]): KubernetesObject & { data: Record<string, string> } {
  return configMap(RULES_CONFIGMAP, Object.fromEntries(files.map((f) => [ruleKey(f), f.content])));
}

/**
 * The observability stack as the project's own manifests, from env/stack/'s configs (the same
 * files the local and testcontainers providers run) and the locally built images: the collector,
 * Jaeger, VictoriaLogs, Prometheus discovering its targets through the API server, and Alertmanager
 * paging the harness's receiver. No chart, no registry.
 */
export function stackObjects(o: StackManifestOptions): KubernetesObject[] {
  const config = (file: string) => readFileSync(stackConfigPath(file), "utf8");
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: NS, labels: GENERATED } },
    configMap("otel-collector-config", { "otel-collector.yaml": config("otel-collector.yaml") }),
    ...component({
      app: APP.collector,
      image: o.images.collector,
      args: ["--config=/etc/otel-collector/otel-collector.yaml"],
      env: {
        LISTEN_HOST: "0.0.0.0",
        JAEGER_HOST: serviceHost(APP.jaeger),
        LOGS_HOST: serviceHost(APP.logs),
        COLLECTOR_HEALTH_PORT: String(P.collectorHealth),
        COLLECTOR_OTLP_GRPC_PORT: String(P.collectorOtlpGrpc),
        COLLECTOR_OTLP_HTTP_PORT: String(P.collectorOtlpHttp),
        COLLECTOR_PROMETHEUS_PORT: String(P.collectorPrometheus),
        COLLECTOR_TELEMETRY_PORT: String(P.collectorTelemetry),
        JAEGER_OTLP_GRPC_PORT: String(P.jaegerOtlpGrpc),
        LOGS_OTLP_PORT: String(P.logs),
      },
      ports: {
        "otlp-grpc": P.collectorOtlpGrpc,
        "otlp-http": P.collectorOtlpHttp,
        health: P.collectorHealth,
        "prom-exporter": P.collectorPrometheus,
        telemetry: P.collectorTelemetry,
      },
      ready: ["/", "health"],
      mounts: { "/etc/otel-collector": { configMap: "otel-collector-config" } },
    }),
    configMap("jaeger-config", { "jaeger.yaml": config("jaeger.yaml") }),
    ...component({
      app: APP.jaeger,
      image: o.images.jaeger,
      args: ["--config=/etc/jaeger/jaeger.yaml"],
      env: {
        LISTEN_HOST: "0.0.0.0",
        JAEGER_OTLP_GRPC_PORT: String(P.jaegerOtlpGrpc),
        JAEGER_OTLP_HTTP_PORT: String(P.jaegerOtlpHttp),
        JAEGER_QUERY_PORT: String(P.jaegerQuery),
        JAEGER_QUERY_GRPC_PORT: String(P.jaegerQueryGrpc),
        JAEGER_HEALTH_PORT: String(P.jaegerHealth),
        JAEGER_METRICS_PORT: String(P.jaegerMetrics),
      },
      ports: {
        "otlp-grpc": P.jaegerOtlpGrpc,
        "otlp-http": P.jaegerOtlpHttp,
        query: P.jaegerQuery,
        "query-grpc": P.jaegerQueryGrpc,
        health: P.jaegerHealth,
        metrics: P.jaegerMetrics,
      },
      ready: ["/api/services", "query"],
      mounts: { "/etc/jaeger": { configMap: "jaeger-config" } },
    }),
    ...component({
      app: APP.logs,
      image: o.images.logs,
      args: ["-storageDataPath=/data", `-httpListenAddr=:${P.logs}`, "-retentionPeriod=1d"],
      ports: { http: P.logs },
      ready: ["/health", "http"],
      mounts: { "/data": { emptyDir: true } },
    }),
    ...prometheusRbac(),
    configMap("prometheus-config", { "prometheus.yml": renderClusterPrometheusConfig(o.target, o.harnessMetrics) }),
    rulesConfigMap(o.ruleFiles),
    ...component({
      app: APP.prometheus,
      image: o.images.prometheus,
      serviceAccount: APP.prometheus,
      // --web.enable-lifecycle: the harness reloads swapped rules without a restart.
      args: [
        "--config.file=/etc/prometheus-config/prometheus.yml",
        "--storage.tsdb.path=/prometheus",
        `--web.listen-address=:${P.prometheus}`,
        "--web.enable-lifecycle",
      ],
      ports: { http: P.prometheus },
      ready: ["/-/ready", "http"],
      mounts: {
        "/etc/prometheus-config": { configMap: "prometheus-config" },
        [RULES_MOUNT]: { configMap: RULES_CONFIGMAP },
        "/prometheus": { emptyDir: true },
      },
    }),
    configMap("alertmanager-config", { "alertmanager.yml": alertmanagerConfigFor(o.webhookUrl) }),
    ...component({
      app: APP.alertmanager,
      image: o.images.alertmanager,
      // A single instance: no gossip port.
      args: [
        "--config.file=/etc/alertmanager-config/alertmanager.yml",
        "--storage.path=/alertmanager",
        `--web.listen-address=:${P.alertmanager}`,
        "--cluster.listen-address=",
      ],
      ports: { http: P.alertmanager },
      ready: ["/-/ready", "http"],
      mounts: { "/etc/alertmanager-config": { configMap: "alertmanager-config" }, "/alertmanager": { emptyDir: true } },
    }),
  ];
}
