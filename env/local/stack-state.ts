import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, renameSync } from "node:fs";
import path from "node:path";
import type { ComponentInfo, Endpoints } from "../../core/environment.js";
import { runsRoot } from "../../core/paths.js";
import { isAlive, isSameProcess, processStartTime } from "../../core/process-identity.js";
import type { ProcessRecord } from "../shared/managed-process.js";

/** Written to RUN_DIR/state.json as the stack comes up, so another harness process can stop it. */
export interface StackState {
  provider: "local";
  createdAt: string;
  owner: { pid: number; startTime: string };
  /** Made by `up`: it outlives its owner and stays until `down`. */
  persistent: boolean;
  endpoints?: Endpoints;
  components: ComponentInfo[];
  processes: ProcessRecord[];
}

export function newRunDir(): string {
  const root = runsRoot();
  mkdirSync(root, { recursive: true, mode: 0o755 });
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
  const dir = path.join(root, `${stamp}-${process.pid}`);
  mkdirSync(dir, { mode: 0o755 });
  return dir;
}

export function newState(persistent: boolean): StackState {
  return {
    provider: "local",
    createdAt: new Date().toISOString(),
    owner: { pid: process.pid, startTime: processStartTime(process.pid) ?? "" },
    persistent,
    components: [],
    processes: [],
  };
}

export function writeState(runDir: string, state: StackState): void {
  // Write then rename, so a harness killed mid-write never leaves a torn state file behind.
  const file = path.join(runDir, "state.json");
  // Readiness URLs hold the database superuser's password: readable by this user only.
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export function readState(runDir: string): StackState | undefined {
  try {
    return JSON.parse(readFileSync(path.join(runDir, "state.json"), "utf8")) as StackState;
  } catch {
    return undefined;
  }
}

export function listRunDirs(): string[] {
  const root = runsRoot();
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((d) => path.join(root, d))
    .sort();
}

export function ownerIsGone(state: StackState): boolean {
  return !isAlive(state.owner.pid) || !isSameProcess(state.owner.pid, state.owner.startTime);
}

export function removeRunDir(runDir: string): void {
  rmSync(runDir, { recursive: true, force: true });
}
