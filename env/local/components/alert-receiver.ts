import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../utils/repo-paths.js";
import { startProcess, type RunningProcess } from "../utils/managed-process.js";
import { readyCheckFor, waitReady } from "../utils/wait-ready.js";
import type { ComponentContext, StartedComponent } from "./component-context.js";

export async function startAlertReceiver(ctx: ComponentContext): Promise<StartedComponent> {
  return startAlertReceiverAt({ runDir: ctx.runDir, host: "127.0.0.1", port: ctx.ports.alertReceiver, track: ctx.track });
}

/** The receiver on a given address: loopback here, a Docker network's gateway for containers. */
export async function startAlertReceiverAt(at: { runDir: string; host: string; port: number; track: (proc: RunningProcess) => void }): Promise<StartedComponent & { url: string }> {
  const script = path.join(repoRoot, "dist", "env", "local", "alert-receiver", "alert-receiver-server.js");
  if (!existsSync(script)) throw new Error(`alert-receiver: ${script} is missing; run \`npm run build\``);
  const dir = path.join(at.runDir, "alert-receiver");
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const url = `http://${at.host}:${at.port}`;
  const readyUrl = `${url}/-/ready`;
  const proc = startProcess({
    name: "alert-receiver",
    command: process.execPath,
    args: [script, String(at.port), path.join(dir, "notifications.jsonl"), at.host],
    logFile: path.join(at.runDir, "logs", "alert-receiver.log"),
  }, readyUrl);
  at.track(proc);
  const readyMs = await waitReady(proc, readyCheckFor(readyUrl));
  return { info: { name: "alert-receiver", version: process.version, pid: proc.record.pid, logFile: proc.record.logFile }, readyMs, url };
}
