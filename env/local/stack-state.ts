import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
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

/**
 * PostgreSQL runs as its own user when the harness is root, so every folder above its data
 * directory that the harness owns must let others pass through (search, not list). A folder made
 * private by an earlier version (the journals' 0700 once reached their shared parent) is opened
 * for passing only.
 */
function passable(dir: string): void {
  const uid = process.getuid?.();
  for (let d = dir; d !== path.dirname(d) && d !== tmpdir(); d = path.dirname(d)) {
    const st = statSync(d);
    if (st.uid !== uid) return;
    if ((st.mode & 0o001) === 0) chmodSync(d, (st.mode & 0o7777) | 0o011);
  }
}

export function newRunDir(): string {
  const root = runsRoot();
  mkdirSync(root, { recursive: true, mode: 0o755 });
  passable(root);
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
