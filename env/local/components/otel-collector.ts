import { copyFileSync } from "node:fs";
import path from "node:path";
import { cachedTool } from "../../../core/tool-binaries.js";
import { stackConfigPath } from "../../../core/paths.js";
import { startProcess } from "../../shared/managed-process.js";
import { readyCheckFor, waitReady } from "../../shared/wait-ready.js";
import { componentDir, logFile, type ComponentContext, type StartedComponent } from "./component-context.js";
import { versionOf } from "./prometheus.js";

export async function startOtelCollector(ctx: ComponentContext): Promise<StartedComponent> {
  const binary = cachedTool("otelcol-slo");
  const configFile = path.join(componentDir(ctx, "otel-collector"), "otel-collector.yaml");
  copyFileSync(stackConfigPath("otel-collector.yaml"), configFile);
  const readyUrl = `http://127.0.0.1:${ctx.ports.collectorHealth}/`;
  const proc = startProcess(
    {
      name: "otel-collector",
      command: binary,
      args: [`--config=${configFile}`],
      env: {
        COLLECTOR_HEALTH_PORT: String(ctx.ports.collectorHealth),
        COLLECTOR_OTLP_GRPC_PORT: String(ctx.ports.collectorOtlpGrpc),
        COLLECTOR_OTLP_HTTP_PORT: String(ctx.ports.collectorOtlpHttp),
        COLLECTOR_PROMETHEUS_PORT: String(ctx.ports.collectorPrometheus),
        COLLECTOR_TELEMETRY_PORT: String(ctx.ports.collectorTelemetry),
        JAEGER_OTLP_GRPC_PORT: String(ctx.ports.jaegerOtlpGrpc),
        LOGS_OTLP_PORT: String(ctx.ports.victoriaLogs),
      },
      logFile: logFile(ctx, "otel-collector"),
    },
    readyUrl,
  );
  ctx.track(proc);
  const readyMs = await waitReady(proc, readyCheckFor(readyUrl));
  return { info: { name: "otel-collector", version: await versionOf(binary), pid: proc.record.pid, logFile: proc.record.logFile }, readyMs };
}
