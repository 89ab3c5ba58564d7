/** The kind release the error for a missing binary points to; the provider is tested against it. */
export const KIND_VERSION = "v0.33.0";

/** Where the observability stack goes; the target's manifests name its own namespace. */
export const MONITORING_NAMESPACE = "monitoring";

export const CHART_REPOS = {
  "prometheus-community": "https://prometheus-community.github.io/helm-charts",
  jaegertracing: "https://jaegertracing.github.io/helm-charts",
  "open-telemetry": "https://open-telemetry.github.io/opentelemetry-helm-charts",
  vm: "https://victoriametrics.github.io/helm-charts/",
} as const;

export interface ChartRelease {
  release: string;
  repo: keyof typeof CHART_REPOS;
  chart: string;
  /** Pinned: a chart's values change shape between majors, and runs must be repeatable. */
  version: string;
  /** File in env/stack/kubernetes/values/. */
  values: string;
}

/** Every chart the kind provider installs, pinned in this one place. */
export const CHARTS = {
  prometheus: { release: "kps", repo: "prometheus-community", chart: "kube-prometheus-stack", version: "81.4.5", values: "kube-prometheus-stack.yaml" },
  jaeger: { release: "jaeger", repo: "jaegertracing", chart: "jaeger", version: "4.1.5", values: "jaeger.yaml" },
  collector: {
    release: "otel-collector",
    repo: "open-telemetry",
    chart: "opentelemetry-collector",
    version: "0.158.3",
    values: "opentelemetry-collector.yaml",
  },
  logs: { release: "victoria-logs", repo: "vm", chart: "victoria-logs-single", version: "0.13.8", values: "victoria-logs-single.yaml" },
} as const satisfies Record<string, ChartRelease>;

/** The stack's Services the harness reaches through port-forwards, as the values files' fullnameOverrides name them. */
export const SERVICES = {
  prometheus: { namespace: MONITORING_NAMESPACE, service: "kps-prometheus", port: 9090 },
  alertmanager: { namespace: MONITORING_NAMESPACE, service: "kps-alertmanager", port: 9093 },
  jaeger: { namespace: MONITORING_NAMESPACE, service: "jaeger-query", port: 16686 },
  logs: { namespace: MONITORING_NAMESPACE, service: "victoria-logs-server", port: 9428 },
  collector: { namespace: MONITORING_NAMESPACE, service: "otel-collector", port: 13133 },
} as const;
