import { readFileSync } from "node:fs";
import { GenericContainer, Wait, type StartedTestContainer } from "testcontainers";
import YAML from "yaml";
import { stackConfigPath } from "../../core/paths.js";
import { alertmanagerConfigFor } from "../shared/alertmanager-config.js";
import axios from "axios";
import { DB_PROXY_NAME } from "../../core/environment.js";
import { harnessScrapeJob } from "../shared/harness-scrape-job.js";
import { targetJobProblem } from "../shared/target-job.js";
import type { IMAGE_KEYS, StackImages } from "./container-images.js";

/** Ports inside the containers: each has its own network namespace, so the defaults serve. */
export const CONTAINER_PORTS = {
  postgres: 5432,
  logs: 9428,
  jaegerOtlpGrpc: 4317,
  jaegerOtlpHttp: 4318,
  jaegerQuery: 16686,
  jaegerQueryGrpc: 16685,
  jaegerHealth: 13133,
  jaegerMetrics: 8888,
  collectorOtlpGrpc: 4317,
  collectorOtlpHttp: 4318,
  collectorHealth: 13133,
  collectorPrometheus: 8889,
  collectorTelemetry: 8888,
  alertmanager: 9093,
  prometheus: 9090,
  api: 8000,
  toxiproxy: 8474,
} as const;

/** Where configs are copied inside every container. */
export const CONFIG_DIR = "/etc/slo-harness";
export const RULES_DIR = `${CONFIG_DIR}/rules`;

export type StackComponent = keyof typeof IMAGE_KEYS;

/** The ports published on 127.0.0.1, each on a host port picked once, so a restarted container keeps it. */
export const PUBLISHED: readonly [StackComponent, number][] = [
  ["postgres", CONTAINER_PORTS.postgres],
  ["victoria-logs", CONTAINER_PORTS.logs],
  ["jaeger", CONTAINER_PORTS.jaegerQuery],
  ["otel-collector", CONTAINER_PORTS.collectorOtlpHttp],
  ["otel-collector", CONTAINER_PORTS.collectorHealth],
  ["alertmanager", CONTAINER_PORTS.alertmanager],
  ["prometheus", CONTAINER_PORTS.prometheus],
  ["toxiproxy", CONTAINER_PORTS.toxiproxy],
];

/** The port the database proxy listens on: the same inside and out, so the proxy's own listen address works from the host too. */
export const DB_PROXY_KEY = "toxiproxy:db";

export function publishedKey(component: string, port: number): string {
  return `${component}:${port}`;
}

export interface StackPlan {
  images: StackImages;
  network: string;
  /** Container names are `${prefix}-${component}`; they double as host names on the network. */
  prefix: string;
  /** Where Alertmanager's webhook reaches the harness's receiver, e.g. http://172.18.0.1:40123/alerts. */
  webhookUrl: string;
  maxConnections: number;
  ruleFiles: { name: string; content: string }[];
  labels: Record<string, string>;
  /** Host port for each entry of PUBLISHED, by publishedKey(), and DB_PROXY_KEY. */
  hostPorts: Record<string, number>;
  /** The target reaches PostgreSQL through a Toxiproxy container, for network faults. */
  dbProxy: boolean;
  /** The service under test, scraped by the stack's target job under its own name. */
  target?: { name: string; port: number; metricsPath: string };
  /** gateway:port of the harness's own metrics, scraped as job "slo-harness". */
  harnessMetrics?: string;
}

export function containerName(plan: Pick<StackPlan, "prefix">, component: string): string {
  return `${plan.prefix}-${component}`;
}

export function publish(plan: StackPlan, component: string, ...ports: number[]): { container: number; host: number }[] {
  return ports.map((container) => {
    const host = plan.hostPorts[publishedKey(component, container)];
    if (host === undefined) throw new Error(`${component}: port ${container} is not in PUBLISHED`);
    return { container, host };
  });
}

export function base(plan: StackPlan, component: string, image: string): GenericContainer {
  // Created straight on our network (no aliases: with aliases Testcontainers would create the
  // container on the default bridge first, whose published ports are not bound to loopback).
  return new GenericContainer(image)
    .withName(containerName(plan, component))
    .withNetworkMode(plan.network)
    .withLabels({ ...plan.labels, "slo-harness.component": component })
    .withStartupTimeout(120_000);
}

export function postgresContainer(plan: StackPlan): GenericContainer {
  return (
    base(plan, "postgres", plan.images.postgres)
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: "trust", POSTGRES_DB: "postgres" })
      .withCommand([
        "postgres",
        "-c",
        `max_connections=${plan.maxConnections}`,
        // A throwaway database: durability buys nothing and costs start-up time.
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
      ])
      .withExposedPorts(...publish(plan, "postgres", CONTAINER_PORTS.postgres))
      // The official image runs a temporary server for its init scripts first; only the final one
      // listens on TCP, so readiness is a TCP check from inside.
      .withWaitStrategy(Wait.forSuccessfulCommand("pg_isready -h 127.0.0.1 -U postgres"))
  );
}

export function logsContainer(plan: StackPlan): GenericContainer {
  return base(plan, "victoria-logs", plan.images.logs)
    .withCommand(["-storageDataPath=/tmp/victoria-logs", `-httpListenAddr=:${CONTAINER_PORTS.logs}`, "-retentionPeriod=1d"])
    .withExposedPorts(...publish(plan, "victoria-logs", CONTAINER_PORTS.logs))
    .withWaitStrategy(Wait.forHttp("/health", CONTAINER_PORTS.logs));
}

export function jaegerContainer(plan: StackPlan): GenericContainer {
  const p = CONTAINER_PORTS;
  return base(plan, "jaeger", plan.images.jaeger)
    .withCopyContentToContainer([{ content: readFileSync(stackConfigPath("jaeger.yaml"), "utf8"), target: `${CONFIG_DIR}/jaeger.yaml` }])
    .withCommand([`--config=${CONFIG_DIR}/jaeger.yaml`])
    .withEnvironment({
      LISTEN_HOST: "0.0.0.0",
      JAEGER_OTLP_GRPC_PORT: String(p.jaegerOtlpGrpc),
      JAEGER_OTLP_HTTP_PORT: String(p.jaegerOtlpHttp),
      JAEGER_QUERY_PORT: String(p.jaegerQuery),
      JAEGER_QUERY_GRPC_PORT: String(p.jaegerQueryGrpc),
      JAEGER_HEALTH_PORT: String(p.jaegerHealth),
      JAEGER_METRICS_PORT: String(p.jaegerMetrics),
    })
    .withExposedPorts(...publish(plan, "jaeger", p.jaegerQuery))
    .withWaitStrategy(Wait.forHttp("/api/services", p.jaegerQuery));
}

export function collectorContainer(plan: StackPlan): GenericContainer {
  const p = CONTAINER_PORTS;
  return base(plan, "otel-collector", plan.images.collector)
    .withCopyContentToContainer([{ content: readFileSync(stackConfigPath("otel-collector.yaml"), "utf8"), target: `${CONFIG_DIR}/otel-collector.yaml` }])
    .withCommand([`--config=${CONFIG_DIR}/otel-collector.yaml`])
    .withEnvironment({
      LISTEN_HOST: "0.0.0.0",
      JAEGER_HOST: containerName(plan, "jaeger"),
      LOGS_HOST: containerName(plan, "victoria-logs"),
      COLLECTOR_HEALTH_PORT: String(p.collectorHealth),
      COLLECTOR_OTLP_GRPC_PORT: String(p.collectorOtlpGrpc),
      COLLECTOR_OTLP_HTTP_PORT: String(p.collectorOtlpHttp),
      COLLECTOR_PROMETHEUS_PORT: String(p.collectorPrometheus),
      COLLECTOR_TELEMETRY_PORT: String(p.collectorTelemetry),
      JAEGER_OTLP_GRPC_PORT: String(p.jaegerOtlpGrpc),
      LOGS_OTLP_PORT: String(p.logs),
    })
    .withExposedPorts(...publish(plan, "otel-collector", p.collectorOtlpHttp, p.collectorHealth))
    .withWaitStrategy(Wait.forHttp("/", p.collectorHealth));
}

export function alertmanagerContainer(plan: StackPlan): GenericContainer {
  return base(plan, "alertmanager", plan.images.alertmanager)
    .withCopyContentToContainer([{ content: alertmanagerConfigFor(plan.webhookUrl), target: `${CONFIG_DIR}/alertmanager.yml` }])
    .withCommand([
      `--config.file=${CONFIG_DIR}/alertmanager.yml`,
      "--storage.path=/tmp/alertmanager",
      `--web.listen-address=:${CONTAINER_PORTS.alertmanager}`,
      // A single instance: no gossip port.
      "--cluster.listen-address=",
    ])
    .withExposedPorts(...publish(plan, "alertmanager", CONTAINER_PORTS.alertmanager))
    .withWaitStrategy(Wait.forHttp("/-/ready", CONTAINER_PORTS.alertmanager));
}

/** Which container and port each of the stack's own jobs of env/stack/prometheus.yml scrapes; the one other job scrapes the target. */
const JOB_TARGETS: Record<string, [StackComponent, number]> = {
  "otel-collector": ["otel-collector", CONTAINER_PORTS.collectorPrometheus],
  "otel-collector-internal": ["otel-collector", CONTAINER_PORTS.collectorTelemetry],
  jaeger: ["jaeger", CONTAINER_PORTS.jaegerMetrics],
  "victoria-logs": ["victoria-logs", CONTAINER_PORTS.logs],
  alertmanager: ["alertmanager", CONTAINER_PORTS.alertmanager],
  prometheus: ["prometheus", CONTAINER_PORTS.prometheus],
};

export function renderPrometheusConfig(plan: StackPlan): string {
  const config = YAML.parse(readFileSync(stackConfigPath("prometheus.yml"), "utf8"));
  config.rule_files = [`${RULES_DIR}/*.yml`];
  config.alerting.alertmanagers[0].static_configs[0].targets = [`${containerName(plan, "alertmanager")}:${CONTAINER_PORTS.alertmanager}`];
  const jobs = config.scrape_configs as { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
  const problem = targetJobProblem(
    jobs.map((j) => j.job_name),
    Object.keys(JOB_TARGETS),
  );
  if (problem) throw new Error(`${stackConfigPath("prometheus.yml")}: ${problem}`);
  if (plan.target && jobs.every((j) => j.job_name in JOB_TARGETS)) jobs.push({ job_name: plan.target.name, static_configs: [] });
  for (const job of jobs) {
    const target = JOB_TARGETS[job.job_name];
    if (target) job.static_configs = [{ targets: [`${containerName(plan, target[0])}:${target[1]}`] }];
    // The job that is not the stack's own scrapes the service under test, under the target's name.
    else if (plan.target) {
      job.job_name = plan.target.name;
      job.metrics_path = plan.target.metricsPath;
      job.static_configs = [{ targets: [`${containerName(plan, plan.target.name)}:${plan.target.port}`] }];
    }
  }
  // Added after the loop above, which takes any job not the stack's own for the target's.
  if (plan.harnessMetrics) jobs.push(harnessScrapeJob(plan.harnessMetrics));
  return `# generated by slo-harness from env/stack/prometheus.yml, do not edit\n${YAML.stringify(config)}`;
}

export function prometheusContainer(plan: StackPlan): GenericContainer {
  return base(plan, "prometheus", plan.images.prometheus)
    .withCopyContentToContainer([
      { content: renderPrometheusConfig(plan), target: `${CONFIG_DIR}/prometheus.yml` },
      ...plan.ruleFiles.map((f) => ({ content: f.content, target: `${RULES_DIR}/${f.name}` })),
    ])
    .withCommand([
      `--config.file=${CONFIG_DIR}/prometheus.yml`,
      "--storage.tsdb.path=/tmp/prometheus",
      `--web.listen-address=:${CONTAINER_PORTS.prometheus}`,
      // Lets the harness reload compressed rules without a restart.
      "--web.enable-lifecycle",
    ])
    .withExposedPorts(...publish(plan, "prometheus", CONTAINER_PORTS.prometheus))
    .withWaitStrategy(Wait.forHttp("/-/ready", CONTAINER_PORTS.prometheus));
}

export function adminUrl(postgres: StartedTestContainer, database: string): string {
  return `postgresql://postgres@127.0.0.1:${postgres.getMappedPort(CONTAINER_PORTS.postgres)}/${database}`;
}

export function dbProxyPort(plan: StackPlan): number {
  const port = plan.hostPorts[DB_PROXY_KEY];
  if (port === undefined) throw new Error(`toxiproxy: no port picked for the database proxy (${DB_PROXY_KEY})`);
  return port;
}

export function toxiproxyContainer(plan: StackPlan): GenericContainer {
  const proxyPort = dbProxyPort(plan);
  return base(plan, "toxiproxy", plan.images.toxiproxy)
    .withCommand(["-host=0.0.0.0", `-port=${CONTAINER_PORTS.toxiproxy}`])
    .withExposedPorts(...publish(plan, "toxiproxy", CONTAINER_PORTS.toxiproxy), { container: proxyPort, host: proxyPort })
    .withWaitStrategy(Wait.forHttp("/version", CONTAINER_PORTS.toxiproxy));
}

/** The proxy the API's database traffic takes, named as the network injector expects. */
export async function createDbProxy(plan: StackPlan, toxiproxy: StartedTestContainer): Promise<void> {
  // A container cannot be handed Toxiproxy's config file as the local provider does, so the proxy is made over its API.
  const api = `http://127.0.0.1:${toxiproxy.getMappedPort(CONTAINER_PORTS.toxiproxy)}`;
  const proxy = {
    name: DB_PROXY_NAME,
    listen: `0.0.0.0:${dbProxyPort(plan)}`,
    upstream: `${containerName(plan, "postgres")}:${CONTAINER_PORTS.postgres}`,
    enabled: true,
  };
  const response = await axios.post(`${api}/proxies`, proxy, { proxy: false, timeout: 5000, validateStatus: () => true });
  if (response.status !== 201)
    throw new Error(`toxiproxy: creating proxy "${DB_PROXY_NAME}" at ${api} answered HTTP ${response.status}: ${JSON.stringify(response.data)}`);
}
