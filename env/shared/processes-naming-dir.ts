import { readdirSync, readFileSync } from "node:fs";

/**
 * Every process we start names its run directory on its command line (a config or data path),
 * so the processes of a run whose state file was never written are still found.
 */
export function processesNamingDir(runDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (cmdline.some((arg) => arg.includes(runDir))) pids.push(pid);
    } catch {
      // Exited while we looked.
    }
  }
  return pids;
}
