import path from "node:path";
import { cachedTool } from "../../../core/tool-binaries.js";
import { startProcess } from "../../shared/managed-process.js";
import { readyCheckFor, waitReady } from "../../shared/wait-ready.js";
import { componentDir, logFile, type ComponentContext, type StartedComponent } from "./component-context.js";
import { readToolVersions } from "../../shared/tool-versions.js";

/** The log store: VictoriaLogs (Apache-2.0) takes OTLP logs natively and is queried with LogsQL. */
export async function startVictoriaLogs(ctx: ComponentContext): Promise<StartedComponent> {
  const binary = cachedTool("victoria-logs");
  const readyUrl = `http://127.0.0.1:${ctx.ports.victoriaLogs}/health`;
  const proc = startProcess(
    {
      name: "victoria-logs",
      command: binary,
      args: [
        `-storageDataPath=${path.join(componentDir(ctx, "victoria-logs"), "data")}`,
        `-httpListenAddr=127.0.0.1:${ctx.ports.victoriaLogs}`,
        // The stack's logs are evidence for the run, kept for the run only.
        "-retentionPeriod=1d",
      ],
      logFile: logFile(ctx, "victoria-logs"),
    },
    readyUrl,
  );
  ctx.track(proc);
  const readyMs = await waitReady(proc, readyCheckFor(readyUrl));
  const version = readToolVersions().VICTORIALOGS_VERSION ?? "unknown";
  return { info: { name: "victoria-logs", version, pid: proc.record.pid, logFile: proc.record.logFile }, readyMs };
}
