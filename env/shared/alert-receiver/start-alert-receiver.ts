import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { ComponentInfo } from "../../../core/environment.js";
import { repoRoot } from "../../../core/paths.js";
import { startProcess, type RunningProcess } from "../managed-process.js";
import { readyCheckFor, waitReady } from "../wait-ready.js";

/**
 * The harness's Alertmanager webhook receiver, as its own process so it outlives a CLI command,
 * on a given address: loopback for the local stack, a Docker network's gateway for containers.
 */
export async function startAlertReceiverAt(at: {
  runDir: string;
  host: string;
  port: number;
  track: (proc: RunningProcess) => void;
}): Promise<{ info: ComponentInfo; readyMs: number; url: string }> {
  const script = path.join(repoRoot, "dist", "env", "shared", "alert-receiver", "alert-receiver-server.js");
  if (!existsSync(script)) throw new Error(`alert-receiver: ${script} is missing; run \`npm run build\``);
  const dir = path.join(at.runDir, "alert-receiver");
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const url = `http://${at.host}:${at.port}`;
  const readyUrl = `${url}/-/ready`;
  const proc = startProcess(
    {
      name: "alert-receiver",
      command: process.execPath,
      args: [script, String(at.port), path.join(dir, "notifications.jsonl"), at.host],
      logFile: path.join(at.runDir, "logs", "alert-receiver.log"),
    },
    readyUrl,
  );
  at.track(proc);
  const readyMs = await waitReady(proc, readyCheckFor(readyUrl));
  return { info: { name: "alert-receiver", version: process.version, pid: proc.record.pid, logFile: proc.record.logFile }, readyMs, url };
}
