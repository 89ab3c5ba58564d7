import { DB_PROXY_NAME } from "../../../core/environment.js";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { cachedTool } from "../../../core/tool-binaries.js";
import { startProcess } from "../../shared/managed-process.js";
import { readyCheckFor, waitReady } from "../../shared/wait-ready.js";
import { readToolVersions } from "../../shared/tool-versions.js";
import { componentDir, logFile, type ComponentContext, type StartedComponent } from "./component-context.js";

/** The proxy the API's database traffic takes; network injectors add toxics to it by this name. */

export async function startToxiproxy(ctx: ComponentContext): Promise<StartedComponent> {
  const binary = cachedTool("toxiproxy-server");
  const configFile = path.join(componentDir(ctx, "toxiproxy"), "proxies.json");
  writeFileSync(
    configFile,
    JSON.stringify(
      [{ name: DB_PROXY_NAME, listen: `127.0.0.1:${ctx.ports.postgresProxy}`, upstream: `127.0.0.1:${ctx.ports.postgres}`, enabled: true }],
      null,
      2,
    ),
  );
  const readyUrl = `http://127.0.0.1:${ctx.ports.toxiproxy}/version`;
  const proc = startProcess(
    {
      name: "toxiproxy",
      command: binary,
      args: ["-host", "127.0.0.1", "-port", String(ctx.ports.toxiproxy), "-config", configFile],
      logFile: logFile(ctx, "toxiproxy"),
    },
    readyUrl,
  );
  ctx.track(proc);
  const readyMs = await waitReady(proc, readyCheckFor(readyUrl));
  const version = readToolVersions().TOXIPROXY_VERSION ?? "unknown";
  return { info: { name: "toxiproxy", version, pid: proc.record.pid, logFile: proc.record.logFile }, readyMs };
}
