import { readState, writeState } from "./stack-state.js";
import { startProcess, stopProcess, type ProcessRecord } from "../shared/managed-process.js";
import { isAlive, isSameProcess } from "../../core/process-identity.js";
import type { ComponentProcess, ProcessControl } from "../../core/environment.js";
import { readyCheckFor, waitReady } from "../shared/wait-ready.js";

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

/** The "processes" capability of the local stack in `runDir`, for injectors and for journal recovery. */
export function localProcessControl(runDir: string): ProcessControl {
  const shown = (r: ProcessRecord): ComponentProcess => ({ name: r.name, pid: r.pid, startTime: r.startTime });
  return {
    process: (component) => shown(componentProcess(runDir, component)),
    isRunning: (component) => isComponentRunning(runDir, component),
    signal: (component, signal) => void signalComponent(runDir, component, signal),
    restart: async (component) => shown(await restartComponent(runDir, component)),
    waitHealthy: async (component, timeoutMs) => {
      const record = componentProcess(runDir, component);
      if (!record.readyUrl) return;
      const check = readyCheckFor(record.readyUrl);
      const until = Date.now() + timeoutMs;
      while (!(await check.probe().catch(() => false))) {
        if (Date.now() > until) throw new Error(`${component}: ${check.description} did not answer within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}

/** Journal recovery's view: a run directory holding a local stack's state, or none. */
export function localProcessControlAt(runDir: string): ProcessControl | undefined {
  return readState(runDir) ? localProcessControl(runDir) : undefined;
}
