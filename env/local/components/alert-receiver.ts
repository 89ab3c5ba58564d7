import { existsSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../utils/repo-paths.js";
import { startProcess } from "../utils/managed-process.js";
import { readyCheckFor, waitReady } from "../utils/wait-ready.js";
import { componentDir, logFile, type ComponentContext, type StartedComponent } from "./component-context.js";

export async function startAlertReceiver(ctx: ComponentContext): Promise<StartedComponent> {
  const script = path.join(repoRoot, "dist", "env", "local", "alert-receiver", "alert-receiver-server.js");
  if (!existsSync(script)) throw new Error(`alert-receiver: ${script} is missing; run \`npm run build\``);
  const notifications = path.join(componentDir(ctx, "alert-receiver"), "notifications.jsonl");
  const readyUrl = `http://127.0.0.1:${ctx.ports.alertReceiver}/-/ready`;
  const proc = startProcess({
    name: "alert-receiver",
    command: process.execPath,
    args: [script, String(ctx.ports.alertReceiver), notifications],
    logFile: logFile(ctx, "alert-receiver"),
  }, readyUrl);
  ctx.track(proc);
  const readyMs = await waitReady(proc, readyCheckFor(readyUrl));
  return { info: { name: "alert-receiver", version: process.version, pid: proc.record.pid, logFile: proc.record.logFile }, readyMs };
}
