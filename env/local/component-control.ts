import { readState, writeState } from "./stack-state.js";
import { startProcess, stopProcess, type ProcessRecord } from "./utils/managed-process.js";
import { isAlive, isSameProcess } from "./utils/process-identity.js";
import { readyCheckFor, waitReady } from "./utils/wait-ready.js";

/**
 * Process-level control of a running local stack by component name, working from the run
 * directory's state file, so any harness process can act on a stack started by another.
 */
export function componentProcess(runDir: string, name: string): ProcessRecord {
  const state = readState(runDir);
  if (!state) throw new Error(`no local stack in ${runDir} (state.json missing)`);
  const record = state.processes.find((p) => p.name === name);
  if (!record) throw new Error(`no component "${name}" in the stack at ${runDir}; it has ${state.processes.map((p) => p.name).join(", ")}`);
  return record;
}

export function isComponentRunning(runDir: string, name: string): boolean {
  const record = componentProcess(runDir, name);
  return isAlive(record.pid) && isSameProcess(record.pid, record.startTime);
}

/** SIGSTOP or SIGCONT to the component's whole process group (gunicorn workers, postgres backends). */
export function signalComponent(runDir: string, name: string, signal: "SIGSTOP" | "SIGCONT" | "SIGKILL"): ProcessRecord {
  const record = componentProcess(runDir, name);
  if (!isSameProcess(record.pid, record.startTime)) throw new Error(`${name}: process ${record.pid} is not running`);
  process.kill(-record.pid, signal);
  return record;
}

/** Starts the component again from its recorded spec and waits until it answers its health check. */
export async function restartComponent(runDir: string, name: string, readyTimeoutMs = 60_000): Promise<ProcessRecord> {
  const old = componentProcess(runDir, name);
  if (!old.spec) throw new Error(`${name}: the state file has no start spec, it cannot be restarted`);
  await stopProcess(old, 5000);
  const proc = startProcess(old.spec, old.readyUrl);
  const state = readState(runDir)!;
  state.processes = state.processes.map((p) => (p.name === name ? proc.record : p));
  writeState(runDir, state);
  if (old.readyUrl) await waitReady(proc, readyCheckFor(old.readyUrl), readyTimeoutMs);
  return proc.record;
}
