import { copyFileSync } from "node:fs";
import path from "node:path";
import { cachedTool } from "../../../core/tool-binaries.js";
import { stackConfigPath } from "../../../core/paths.js";
import { startProcess } from "../../shared/managed-process.js";
import { readyCheckFor, waitReady } from "../../shared/wait-ready.js";
import { readToolVersions } from "../../shared/tool-versions.js";
import { componentDir, logFile, type ComponentContext, type StartedComponent } from "./component-context.js";

export async function startJaeger(ctx: ComponentContext): Promise<StartedComponent> {
  const binary = cachedTool("jaeger");
  const configFile = path.join(componentDir(ctx, "jaeger"), "jaeger.yaml");
  copyFileSync(stackConfigPath("jaeger.yaml"), configFile);
  const readyUrl = `http://127.0.0.1:${ctx.ports.jaegerQuery}/api/services`;
  const proc = startProcess(
    {
      name: "jaeger",
      command: binary,
      args: [`--config=${configFile}`],
      env: {
        JAEGER_OTLP_GRPC_PORT: String(ctx.ports.jaegerOtlpGrpc),
        JAEGER_OTLP_HTTP_PORT: String(ctx.ports.jaegerOtlpHttp),
        JAEGER_QUERY_PORT: String(ctx.ports.jaegerQuery),
        JAEGER_QUERY_GRPC_PORT: String(ctx.ports.jaegerQueryGrpc),
        JAEGER_HEALTH_PORT: String(ctx.ports.jaegerHealth),
        JAEGER_METRICS_PORT: String(ctx.ports.jaegerMetrics),
      },
      logFile: logFile(ctx, "jaeger"),
      // Once it has served queries, Jaeger's shutdown waits on an internal gRPC client retrying its own
      // closed endpoint; its store is in memory, so there is nothing to flush and no reason to wait.
      stopGraceMs: 1000,
    },
    readyUrl,
  );
  ctx.track(proc);
  const readyMs = await waitReady(proc, readyCheckFor(readyUrl));
  const version = readToolVersions().JAEGER_VERSION ?? "unknown";
  return { info: { name: "jaeger", version, pid: proc.record.pid, logFile: proc.record.logFile }, readyMs };
}
