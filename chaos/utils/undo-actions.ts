import type { ProcessControlAt } from "../../core/environment.js";
import { isSameProcess } from "../../core/process-identity.js";
import type { UndoAction } from "../fault-journal.js";
import { describeTarget, terminateSessions } from "./pg-sessions.js";
import { pollUntil } from "./poll.js";
import { continueGroup, groupMembers, stoppedMembers } from "./process-state.js";
import { ToxiproxyClient } from "./toxiproxy-client.js";
import { reconnectContainer, startContainer, unpauseContainer } from "./docker-containers.js";

/** What an undo may need from the environment: the process control of the stack a fault was in. */
export interface UndoContext {
  processesAt?: ProcessControlAt;
}

/**
 * SIGCONT to a stopped component's group, then waits until none of it is stopped and, when the
 * stack can tell, its health check answers again. Shared by rollback and journal recovery.
 */
export async function resumeGroup(pgid: number, startTime: string, waitHealthy?: () => Promise<void>): Promise<string> {
  const leader = isSameProcess(pgid, startTime) ? "its leader" : "its leader is gone, the rest";
  const reached = continueGroup(pgid);
  if (!reached) return `process group ${pgid} is gone, nothing left to resume`;
  const started = Date.now();
  await pollUntil(`no process of group ${pgid} in state T`, async () => (stoppedMembers(pgid).length === 0 ? true : undefined), 5000, 20);
  let health = "";
  if (waitHealthy && isSameProcess(pgid, startTime)) {
    await waitHealthy();
    health = `; its health check answered ${Date.now() - started} ms after SIGCONT`;
  }
  return `SIGCONT to process group ${pgid} (${leader}): ${groupMembers(pgid).length} processes running, none stopped${health}`;
}

/**
 * Connection refused: nothing listens at the address any more, so the server the fault was put
 * into (a stack's own, on 127.0.0.1) is gone and took the fault with it. A server that is there
 * but hangs or answers with an error is not gone, and its undo fails.
 */
function nothingListens(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown; errors?: unknown[] } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "ECONNREFUSED") return true;
    if (e.errors?.length && e.errors.every(nothingListens)) return true;
  }
  return false;
}

/** Carries out one journaled undo; idempotent, and says what it found and did. */
export async function performUndo(action: UndoAction, at: UndoContext = {}): Promise<string> {
  switch (action.kind) {
    case "signal-process": {
      if (!isSameProcess(action.pid, action.startTime)) return `process ${action.pid} is gone, nothing to resume`;
      process.kill(action.pid, action.signal);
      return `${action.signal} to process ${action.pid}`;
    }
    case "signal-group": {
      const processes = action.runDir ? at.processesAt?.(action.runDir) : undefined;
      const component = action.component;
      return resumeGroup(action.pgid, action.startTime, processes && component ? () => processes.waitHealthy(component, 30_000) : undefined);
    }
    case "restart-component": {
      // A stack stopped since (or cleaned as stale) took the fault with it.
      const processes = at.processesAt?.(action.runDir);
      if (!processes) return `the stack at ${action.runDir} is gone, nothing to restart`;
      if (processes.isRunning(action.component)) return `${action.component} is running, nothing to restart`;
      const proc = await processes.restart(action.component);
      return `restarted ${action.component} as pid ${proc.pid}`;
    }
    case "pg-terminate-sessions": {
      const terminated = await terminateSessions(action.connectionString, action.applicationName).catch((err: unknown) => {
        if (nothingListens(err)) return undefined;
        throw err;
      });
      if (terminated === undefined)
        return `nothing listens at ${describeTarget(action.connectionString)} any more: the database is gone, and its sessions with it`;
      return `terminated ${terminated} sessions with application_name '${action.applicationName}'; none remain`;
    }
    case "toxiproxy-delete-toxic": {
      const client = new ToxiproxyClient(action.apiUrl);
      const deleted = await client.deleteToxic(action.proxy, action.toxic).catch((err: unknown) => {
        if (nothingListens(err)) return undefined;
        throw err;
      });
      if (deleted === undefined) return `nothing listens at ${action.apiUrl} any more: Toxiproxy is gone, and its toxic "${action.toxic}" with it`;
      const left = (await client.listToxics(action.proxy)).some((t) => t.name === action.toxic);
      if (left) throw new Error(`toxic "${action.toxic}" is still listed on proxy "${action.proxy}" after DELETE`);
      return deleted ? `deleted toxic "${action.toxic}" from proxy "${action.proxy}"` : `proxy "${action.proxy}" had no toxic "${action.toxic}" left`;
    }
    case "docker-unpause":
      return unpauseContainer(action.containerId);
    case "docker-start":
      return startContainer(action.containerId);
    case "docker-connect":
      return reconnectContainer(action.containerId, action.network);
  }
}
