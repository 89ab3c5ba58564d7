import { CONTAINER_PORTS } from "../testcontainers/stack-containers.js";
import { MONITORING_NAMESPACE, TARGET_NAMESPACE } from "./chart-versions.js";

/**
 * The project's own manifests for the stack (stack: manifests): one Deployment and one Service
 * per component, named after it, listening on the same ports as the testcontainers provider's
 * containers. The pods' `app` label is the component's name.
 */
export const STACK_APPS = {
  collector: "otel-collector",
  jaeger: "jaeger",
  logs: "victoria-logs",
  prometheus: "prometheus",
  alertmanager: "alertmanager",
} as const;

/** The Services the harness reaches through port-forwards in manifests mode. */
export const MANIFEST_SERVICES = {
  api: { namespace: TARGET_NAMESPACE, service: "genomics-api", port: CONTAINER_PORTS.api },
  postgres: { namespace: TARGET_NAMESPACE, service: "postgres", port: CONTAINER_PORTS.postgres },
  prometheus: { namespace: MONITORING_NAMESPACE, service: STACK_APPS.prometheus, port: CONTAINER_PORTS.prometheus },
  alertmanager: { namespace: MONITORING_NAMESPACE, service: STACK_APPS.alertmanager, port: CONTAINER_PORTS.alertmanager },
  jaeger: { namespace: MONITORING_NAMESPACE, service: STACK_APPS.jaeger, port: CONTAINER_PORTS.jaegerQuery },
  logs: { namespace: MONITORING_NAMESPACE, service: STACK_APPS.logs, port: CONTAINER_PORTS.logs },
  // OTLP/HTTP: what the harness's own test traffic posts to, as on the other providers.
  collector: { namespace: MONITORING_NAMESPACE, service: STACK_APPS.collector, port: CONTAINER_PORTS.collectorOtlpHttp },
} as const;

/** A Service's name as cluster DNS answers it; pods that have no cluster DNS get it from hostAliases. */
export function serviceHost(service: string, namespace = MONITORING_NAMESPACE): string {
  return `${service}.${namespace}.svc.cluster.local`;
}

/**
 * Which pods and port each scrape job of env/stack/prometheus.yml discovers through the API
 * server. The API is found as its ServiceMonitor finds it (the Service's endpoints); the stack's
 * own components by their pods.
 */
export const SCRAPE_JOBS: Record<string, { namespace: string; app: string; port: number; role: "endpoints" | "pod" }> = {
  "genomics-api": { namespace: TARGET_NAMESPACE, app: "genomics-api", port: CONTAINER_PORTS.api, role: "endpoints" },
  "otel-collector": { namespace: MONITORING_NAMESPACE, app: STACK_APPS.collector, port: CONTAINER_PORTS.collectorPrometheus, role: "pod" },
  "otel-collector-internal": { namespace: MONITORING_NAMESPACE, app: STACK_APPS.collector, port: CONTAINER_PORTS.collectorTelemetry, role: "pod" },
  jaeger: { namespace: MONITORING_NAMESPACE, app: STACK_APPS.jaeger, port: CONTAINER_PORTS.jaegerMetrics, role: "pod" },
  "victoria-logs": { namespace: MONITORING_NAMESPACE, app: STACK_APPS.logs, port: CONTAINER_PORTS.logs, role: "pod" },
  alertmanager: { namespace: MONITORING_NAMESPACE, app: STACK_APPS.alertmanager, port: CONTAINER_PORTS.alertmanager, role: "pod" },
  prometheus: { namespace: MONITORING_NAMESPACE, app: STACK_APPS.prometheus, port: CONTAINER_PORTS.prometheus, role: "pod" },
};
