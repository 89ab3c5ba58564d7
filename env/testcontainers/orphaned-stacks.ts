import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getContainerRuntimeClient } from "testcontainers";
import { isSameProcess, processStartTime } from "../../core/process-identity.js";
import { stopProcess } from "../shared/managed-process.js";
import { processesNamingDir } from "../shared/processes-naming-dir.js";

/** Every container of a stack carries these: its run directory, and the harness that owns it. */
export const RUN_LABEL = "slo-harness.run";
export const OWNER_LABEL = "slo-harness.owner";
/** Run directories are made by mkdtemp under the system's temporary directory with this prefix. */
export const RUN_DIR_PREFIX = "slo-harness-tc-";

/** pid:start-time of this harness process, as the owner label records it. */
export function ownerLabel(): string {
  return `${process.pid}:${processStartTime(process.pid) ?? ""}`;
}

function ownerIsGone(owner: string | undefined): boolean {
  if (!owner) return true;
  const [pid, startTime] = [Number(owner.split(":")[0]), owner.slice(owner.indexOf(":") + 1)];
  return !Number.isInteger(pid) || !isSameProcess(pid, startTime);
}

/**
 * Removes what a harness killed with SIGKILL left of its testcontainers stacks: containers,
 * their network, the alert receiver and the run directory. Testcontainers' Ryuk reaper would do
 * this, but it is an image that cannot be pulled where images are built locally, so it is off
 * there; a stack whose owner still runs is a concurrent run's and is left alone. Runs after the
 * journal recovery, so a fault such a stack held is rolled back (or found gone) and reported first.
 */
export async function removeOrphanedStacks(): Promise<string[]> {
  const client = await getContainerRuntimeClient();
  const containers = await client.container.dockerode.listContainers({ all: true, filters: { label: [RUN_LABEL] } });
  const byRun = new Map<string, typeof containers>();
  for (const c of containers) {
    const runDir = c.Labels[RUN_LABEL]!;
    // A label is only a string: a directory is removed only where this provider makes its own.
    if (!runDir.startsWith(path.join(tmpdir(), RUN_DIR_PREFIX))) continue;
    if (ownerIsGone(c.Labels[OWNER_LABEL])) byRun.set(runDir, [...(byRun.get(runDir) ?? []), c]);
  }
  const removed: string[] = [];
  for (const [runDir, stack] of byRun) {
    const networks = new Set(stack.flatMap((c) => Object.keys(c.NetworkSettings?.Networks ?? {})).filter((n) => n.startsWith("slo-")));
    await Promise.all(stack.map((c) => client.container.dockerode.getContainer(c.Id).remove({ force: true })));
    for (const name of networks)
      await client.network
        .getById(name)
        .remove()
        .catch(() => undefined);
    for (const pid of processesNamingDir(runDir))
      await stopProcess({ name: "orphaned", pid, startTime: processStartTime(pid) ?? "", logFile: "", command: [] }, 2000);
    rmSync(runDir, { recursive: true, force: true });
    removed.push(runDir);
  }
  return removed;
}
