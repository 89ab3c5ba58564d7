import { mkdirSync } from "node:fs";
import path from "node:path";
import type { ComponentInfo } from "../../../core/environment.js";
import type { RunningProcess } from "../../shared/managed-process.js";

/** Every port the embedded stack listens on, all on 127.0.0.1, picked free at start. */
export const PORT_NAMES = [
  "postgres",
  "victoriaLogs",
  "jaegerOtlpGrpc",
  "jaegerOtlpHttp",
  "jaegerQuery",
  "jaegerQueryGrpc",
  "jaegerHealth",
  "jaegerMetrics",
  "alertReceiver",
  "alertmanager",
  "collectorOtlpGrpc",
  "collectorOtlpHttp",
  "collectorPrometheus",
  "collectorTelemetry",
  "collectorHealth",
  "api",
  "prometheus",
  "toxiproxy",
  "postgresProxy",
] as const;

export type PortName = (typeof PORT_NAMES)[number];

export interface ComponentContext {
  runDir: string;
  ports: Record<PortName, number>;
  /** Called for each process as soon as it is spawned, before it is ready, so a failed start is still cleaned up. */
  track: (proc: RunningProcess) => void;
  /** The API reaches PostgreSQL through Toxiproxy, so network faults can be put between them. */
  dbProxy: boolean;
}

export interface StartedComponent {
  info: ComponentInfo;
  readyMs: number;
}

export function componentDir(ctx: ComponentContext, name: string): string {
  const dir = path.join(ctx.runDir, name);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  return dir;
}

export function logFile(ctx: ComponentContext, name: string): string {
  return path.join(ctx.runDir, "logs", `${name}.log`);
}
