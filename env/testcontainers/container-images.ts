import { readToolVersions } from "../shared/tool-versions.js";

/** One image per component of the stack; a target names its own in its target file. */
export interface StackImages {
  postgres: string;
  prometheus: string;
  alertmanager: string;
  collector: string;
  jaeger: string;
  logs: string;
  toxiproxy: string;
}

/**
 * The official upstream images at the versions of tools/versions.env. Their entry point is the
 * component's binary, as in the images `slo-harness images build` makes, so one command line
 * serves both.
 */
export function upstreamImages(): StackImages {
  const v = readToolVersions();
  const bare = (version: string | undefined) => (version ?? "latest").replace(/^v/, "");
  return {
    postgres: "postgres:15-bookworm",
    prometheus: "prom/prometheus:v2.42.0",
    alertmanager: "prom/alertmanager:v0.25.0",
    collector: `otel/opentelemetry-collector-contrib:${bare(v.OTELCOL_CONTRIB_VERSION)}`,
    // Jaeger v2's module tags are v1.x; the image is tagged with the v2 release.
    jaeger: "jaegertracing/jaeger:2.13.0",
    logs: `victoriametrics/victoria-logs:${v.VICTORIALOGS_VERSION ?? "latest"}`,
    toxiproxy: `ghcr.io/shopify/toxiproxy:${bare(v.TOXIPROXY_VERSION)}`,
  };
}

/** Which image each container of the stack runs. */
export const IMAGE_KEYS = {
  postgres: "postgres",
  "victoria-logs": "logs",
  jaeger: "jaeger",
  "otel-collector": "collector",
  alertmanager: "alertmanager",
  prometheus: "prometheus",
  toxiproxy: "toxiproxy",
} as const satisfies Record<string, keyof StackImages>;
