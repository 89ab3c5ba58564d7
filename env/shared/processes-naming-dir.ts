import { readdirSync, readFileSync } from "node:fs";

/** Handed to a target's processes, which name the run directory nowhere else: their children inherit it. */
export const RUN_DIR_VARIABLE = "SLO_HARNESS_RUN_DIR";

/**
 * Every process we start names its run directory on its command line (a config or data path) or,
 * for a target's own command, in its environment, so the processes of a run whose state file was
 * never written are still found.
 */
export function processesNamingDir(runDir: string): number[] {
  const pids: number[] = [];
  const marker = `${RUN_DIR_VARIABLE}=${runDir}`;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (cmdline.some((arg) => arg.includes(runDir)) || environ(entry).includes(marker)) pids.push(pid);
    } catch {
      // Exited while we looked.
    }
  }
  return pids;
}

function environ(pid: string): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
  } catch {
    // Another user's process, unless we are root: its command line is all we can read.
    return [];
  }
}
