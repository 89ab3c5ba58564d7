import type { StackState } from "./stack-state.js";
import { listRunDirs, ownerIsGone, readState, removeRunDir } from "./stack-state.js";
import { processesNamingDir } from "../shared/processes-naming-dir.js";
import { stopProcess } from "../shared/managed-process.js";
import { processStartTime } from "../../core/process-identity.js";

/**
 * Stops a stack: each recorded process group, then anything else still naming the run
 * directory (a process spawned after the last state write of a killed harness).
 */
export async function stopStack(runDir: string, state: StackState | undefined, options: { keepRunDir?: boolean } = {}): Promise<void> {
  // Reverse start order: the API and Prometheus go before the backends they write to.
  const records = [...(state?.processes ?? [])].reverse();
  const notes = await Promise.all(records.map((record) => stopProcess(record)));
  for (const pid of processesNamingDir(runDir)) {
    notes.push(await stopProcess({ name: "stray", pid, startTime: processStartTime(pid) ?? "", logFile: "", command: [] }, 2000));
  }
  // A reused pid is someone else's process: it is left alone, and the operator is told.
  for (const note of notes) if (note) process.stderr.write(`slo-harness: stopping the stack in ${runDir}: ${note}\n`);
  if (!options.keepRunDir) removeRunDir(runDir);
}

/**
 * A harness killed with SIGKILL leaves its stack behind. A run is stale when its owner is gone
 * and it was not started by `up` to outlive its owner, or when it has no readable state at all.
 */
export async function cleanStaleRuns(): Promise<string[]> {
  const cleaned: string[] = [];
  for (const runDir of listRunDirs()) {
    const state = readState(runDir);
    if (state && (state.persistent || !ownerIsGone(state))) continue;
    await stopStack(runDir, state);
    cleaned.push(runDir);
  }
  return cleaned;
}

/**
 * `slo-harness down`: every stack `up` started and every stale one, or the one in runDir. A stack
 * a live `run` owns is left to that run (it rolls its faults back and stops it), unless named.
 */
export async function stopAllStacks(only?: string): Promise<string[]> {
  const stopped: string[] = [];
  for (const runDir of listRunDirs()) {
    if (only && runDir !== only) continue;
    const state = readState(runDir);
    if (!only && state && !state.persistent && !ownerIsGone(state)) continue;
    await stopStack(runDir, state);
    stopped.push(runDir);
  }
  return stopped;
}
