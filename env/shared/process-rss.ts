import { readFileSync, readdirSync } from "node:fs";

/** Resident memory of every process in a process group (a component and everything it forked), in bytes. */
export function groupRssBytes(pgid: number): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Field 5 (pgrp) is the 3rd after the command name; field 24 (rss, in pages) the 22nd.
      if (Number(fields[2]) !== pgid) continue;
      total += Number(fields[21]) * 4096;
    } catch {
      // Exited while we looked.
    }
  }
  return total;
}
