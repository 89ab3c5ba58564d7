import { writeFileSync } from "node:fs";
import path from "node:path";
import { systemTool } from "../../../core/tool-binaries.js";
import { alertmanagerConfigFor } from "../../shared/alertmanager-config.js";
import { startProcess } from "../../shared/managed-process.js";
import { readyCheckFor, waitReady } from "../../shared/wait-ready.js";
import { componentDir, logFile, type ComponentContext, type StartedComponent } from "./component-context.js";
import { versionOf } from "./prometheus.js";

export function renderAlertmanagerConfig(ctx: ComponentContext): string {
  return alertmanagerConfigFor(`http://127.0.0.1:${ctx.ports.alertReceiver}/alerts`);
}

export async function startAlertmanager(ctx: ComponentContext): Promise<StartedComponent> {
  const binary = systemTool("/usr/bin/prometheus-alertmanager", "prometheus-alertmanager");
  const dir = componentDir(ctx, "alertmanager");
  const configFile = path.join(dir, "alertmanager.yml");
  writeFileSync(configFile, renderAlertmanagerConfig(ctx));
  const readyUrl = `http://127.0.0.1:${ctx.ports.alertmanager}/-/ready`;
  const proc = startProcess(
    {
      name: "alertmanager",
      command: binary,
      args: [
        `--config.file=${configFile}`,
        `--storage.path=${path.join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${ctx.ports.alertmanager}`,
        // A single instance: no gossip port, nothing listening beyond loopback.
        "--cluster.listen-address=",
      ],
      logFile: logFile(ctx, "alertmanager"),
    },
    readyUrl,
  );
  ctx.track(proc);
  const readyMs = await waitReady(proc, readyCheckFor(readyUrl));
  return { info: { name: "alertmanager", version: await versionOf(binary), pid: proc.record.pid, logFile: proc.record.logFile }, readyMs };
}
