import { spawn } from "node:child_process";
import { appendFileSync, closeSync, openSync, readFileSync } from "node:fs";
import { isAlive, isSameProcess, processStartTime } from "../../core/process-identity.js";

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  cwd?: string;
  env?: Record<string, string>;
  uid?: number;
  gid?: number;
  /** How long SIGTERM may take before SIGKILL; default 5 s. */
  stopGraceMs?: number;
}

/** What the state file keeps of each process, enough to stop it from another harness process later. */
export interface ProcessRecord {
  name: string;
  pid: number;
  startTime: string;
  logFile: string;
  command: string[];
  /** How it was started, so another harness process can restart it (process faults). */
  spec?: ProcessSpec;
  /** The health URL that says it is ready again after a restart. */
  readyUrl?: string;
}

export interface RunningProcess {
  record: ProcessRecord;
  /** Set once the process has exited, so readiness waits can fail fast instead of timing out. */
  exited: () => { code: number | undefined; signal: string | undefined } | undefined;
}

/**
 * Starts a daemon in its own process group with stdout and stderr appended to its log file.
 * The group lets stop() reach helpers it forks (gunicorn workers, postgres backends).
 * Node's spawn rather than execa: the log file's descriptor must go to the child itself, not be
 * piped through this process, or the daemon would hold the harness open and die with it, which
 * a stack started by `up` must not.
 */
export function startProcess(spec: ProcessSpec, readyUrl?: string): RunningProcess {
  let exit: { code: number | undefined; signal: string | undefined } | undefined;
  const fd = openSync(spec.logFile, "a");
  let child;
  try {
    child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ["ignore", fd, fd],
      uid: spec.uid,
      gid: spec.gid,
    });
  } finally {
    closeSync(fd);
  }
  child.on("error", (err) => {
    appendFileSync(spec.logFile, `slo-harness: could not start ${spec.command}: ${err.message}\n`);
    exit = { code: undefined, signal: undefined };
  });
  child.on("exit", (code, signal) => {
    exit = { code: code ?? undefined, signal: signal ?? undefined };
  });
  child.unref();
  if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command} (see ${spec.logFile})`);
  return {
    record: {
      name: spec.name,
      pid: child.pid,
      startTime: processStartTime(child.pid) ?? "",
      logFile: spec.logFile,
      command: [spec.command, ...spec.args],
      spec,
      ...(readyUrl ? { readyUrl } : {}),
    },
    exited: () => exit,
  };
}

function signalGroup(record: ProcessRecord, signal: NodeJS.Signals): void {
  try {
    process.kill(-record.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Stops a process group: SIGTERM, then SIGKILL after the grace period. Safe to call twice. */
export async function stopProcess(record: ProcessRecord, defaultGraceMs = 5000): Promise<string | undefined> {
  const graceMs = record.spec?.stopGraceMs ?? defaultGraceMs;
  if (!isAlive(record.pid)) {
    // The leader is gone, but forked children may linger in its group. Linux does not hand out a
    // pid still in use as a process group id, so whatever is left in this group is ours.
    signalGroup(record, "SIGKILL");
    return undefined;
  }
  if (!isSameProcess(record.pid, record.startTime)) {
    // The pid was reused: that process and its group belong to someone else.
    return `${record.name}: pid ${record.pid} now belongs to another process (not started at ${record.startTime}), left alone`;
  }
  signalGroup(record, "SIGTERM");
  // A component a fault left stopped (a killed run's pause) handles SIGTERM only once continued;
  // without this it would sit out the grace period and be SIGKILLed instead of shutting down.
  signalGroup(record, "SIGCONT");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isAlive(record.pid)) await new Promise((r) => setTimeout(r, 50));
  signalGroup(record, "SIGKILL");
  while (isAlive(record.pid) && Date.now() < deadline + 2000) await new Promise((r) => setTimeout(r, 20));
}

export function logTail(logFile: string, lines = 30): string {
  try {
    return readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log written)";
  }
}
