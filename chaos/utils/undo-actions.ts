import { existsSync } from "node:fs";
import path from "node:path";
import { isComponentRunning, restartComponent } from "../../env/local/component-control.js";
import { isSameProcess } from "../../env/local/utils/process-identity.js";
import { readyCheckFor } from "../../env/local/utils/wait-ready.js";
import type { UndoAction } from "../fault-journal.js";
import { terminateSessions } from "./pg-sessions.js";
import { pollUntil } from "./poll.js";
import { continueGroup, groupMembers, stoppedMembers } from "./process-state.js";
import { ToxiproxyClient } from "./toxiproxy-client.js";
import { reconnectContainer, startContainer, unpauseContainer } from "./docker-containers.js";

/**
 * SIGCONT to a stopped component's group, then waits until none of it is stopped and, when it
 * has one, its health check answers again. Shared by rollback and journal recovery.
 */
export async function resumeGroup(pgid: number, startTime: string, readyUrl?: string): Promise<string> {
  const leader = isSameProcess(pgid, startTime) ? "its leader" : "its leader is gone, the rest";
  const reached = continueGroup(pgid);
  if (!reached) return `process group ${pgid} is gone, nothing left to resume`;
  const started = Date.now();
  await pollUntil(`no process of group ${pgid} in state T`, async () => (stoppedMembers(pgid).length === 0 ? true : undefined), 5000, 20);
  let health = "";
  if (readyUrl && isSameProcess(pgid, startTime)) {
    const check = readyCheckFor(readyUrl);
    await pollUntil(check.description, async () => ((await check.probe()) ? true : undefined), 30_000, 200);
    health = `; its health check answered ${Date.now() - started} ms after SIGCONT`;
  }
  return `SIGCONT to process group ${pgid} (${leader}): ${groupMembers(pgid).length} processes running, none stopped${health}`;
}

/** Carries out one journaled undo; idempotent, and says what it found and did. */
export async function performUndo(action: UndoAction): Promise<string> {
  switch (action.kind) {
    case "signal-process": {
      if (!isSameProcess(action.pid, action.startTime)) return `process ${action.pid} is gone, nothing to resume`;
      process.kill(action.pid, action.signal);
      return `${action.signal} to process ${action.pid}`;
    }
    case "signal-group":
      return resumeGroup(action.pgid, action.startTime);
    case "restart-component": {
      // A stack stopped since (or cleaned as stale) took the fault with it.
      if (!existsSync(path.join(action.runDir, "state.json"))) return `the stack at ${action.runDir} is gone, nothing to restart`;
      if (isComponentRunning(action.runDir, action.component)) return `${action.component} is running, nothing to restart`;
      const proc = await restartComponent(action.runDir, action.component);
      return `restarted ${action.component} as pid ${proc.pid}`;
    }
    case "pg-terminate-sessions": {
      const terminated = await terminateSessions(action.connectionString, action.applicationName);
      return `terminated ${terminated} sessions with application_name '${action.applicationName}'; none remain`;
    }
    case "toxiproxy-delete-toxic": {
      const client = new ToxiproxyClient(action.apiUrl);
      const deleted = await client.deleteToxic(action.proxy, action.toxic);
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
