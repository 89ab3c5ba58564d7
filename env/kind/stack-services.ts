import { CONTAINER_PORTS } from "../testcontainers/stack-containers.js";
import { MONITORING_NAMESPACE } from "./chart-versions.js";

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

/** The stack's Services the harness reaches through port-forwards in manifests mode. */
export const MANIFEST_SERVICES = {
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
 * Which pods and port each of the stack's own scrape jobs of env/stack/prometheus.yml discovers
 * through the API server; the one other job finds the target as a ServiceMonitor would, through
 * its Service's endpoints.
 */
export const SCRAPE_JOBS: Record<string, { namespace: string; app: string; port: number; role: "endpoints" | "pod" }> = {
  "otel-collector": { namespace: MONITORING_NAMESPACE, app: STACK_APPS.collector, port: CONTAINER_PORTS.collectorPrometheus, role: "pod" },
  "otel-collector-internal": { namespace: MONITORING_NAMESPACE, app: STACK_APPS.collector, port: CONTAINER_PORTS.collectorTelemetry, role: "pod" },
  jaeger: { namespace: MONITORING_NAMESPACE, app: STACK_APPS.jaeger, port: CONTAINER_PORTS.jaegerMetrics, role: "pod" },
  "victoria-logs": { namespace: MONITORING_NAMESPACE, app: STACK_APPS.logs, port: CONTAINER_PORTS.logs, role: "pod" },
  alertmanager: { namespace: MONITORING_NAMESPACE, app: STACK_APPS.alertmanager, port: CONTAINER_PORTS.alertmanager, role: "pod" },
  prometheus: { namespace: MONITORING_NAMESPACE, app: STACK_APPS.prometheus, port: CONTAINER_PORTS.prometheus, role: "pod" },
};
