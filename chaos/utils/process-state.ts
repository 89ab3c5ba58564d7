import { readdirSync, readFileSync } from "node:fs";

interface Stat {
  state: string;
  pgrp: number;
}

/** Fields of /proc/PID/stat after the command name, which may itself hold spaces and parentheses. */
function readStat(pid: number): Stat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: rest[0] ?? "?", pgrp: Number(rest[2]) };
  } catch {
    return undefined;
  }
}

/** The kernel's one-letter state: R running, S sleeping, T stopped, Z zombie; undefined when gone. */
export function processState(pid: number): string | undefined {
  return readStat(pid)?.state;
}

/**
 * The live members of a process group with their states. A pid cannot be reused while a group
 * of that id exists, so members found here really are the group we signalled, even after
 * its leader died.
 */
export function groupMembers(pgid: number): { pid: number; state: string }[] {
  const members: { pid: number; state: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== "Z" && stat.state !== "X") members.push({ pid: Number(entry), state: stat.state });
  }
  return members;
}

export function stoppedMembers(pgid: number): number[] {
  return groupMembers(pgid)
    .filter((m) => m.state === "T")
    .map((m) => m.pid);
}

/** SIGCONT to a group if any of it is left; how many processes it reached. */
export function continueGroup(pgid: number): number {
  const members = groupMembers(pgid).length;
  if (members) process.kill(-pgid, "SIGCONT");
  return members;
}
