import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getContainerRuntimeClient } from "testcontainers";
import { processStartTime } from "../../core/process-identity.js";
import { stopProcess } from "../shared/managed-process.js";
import { processesNamingDir } from "../shared/processes-naming-dir.js";
import { RUN_DIR_PREFIX, RUN_LABEL } from "./stack-labels.js";

export type StackContainer = Awaited<ReturnType<Awaited<ReturnType<typeof getContainerRuntimeClient>>["container"]["dockerode"]["listContainers"]>>[number];

/** A label is only a string: a directory is removed only where this provider makes its own. */
export function isOwnRunDir(runDir: string): boolean {
  return path.dirname(runDir) === tmpdir() && path.basename(runDir).startsWith(RUN_DIR_PREFIX);
}

/** Every container of every testcontainers stack on this engine, by run directory. */
export async function stackContainersByRun(): Promise<Map<string, StackContainer[]>> {
  const client = await getContainerRuntimeClient();
  const containers = await client.container.dockerode.listContainers({ all: true, filters: { label: [RUN_LABEL] } });
  const byRun = new Map<string, StackContainer[]>();
  for (const c of containers) {
    const runDir = c.Labels[RUN_LABEL]!;
    if (isOwnRunDir(runDir)) byRun.set(runDir, [...(byRun.get(runDir) ?? []), c]);
  }
  return byRun;
}

/** Removes a stack's containers, their network, the processes naming its run directory (the alert receiver) and the directory. */
export async function removeStack(runDir: string, containers: StackContainer[], networkNames: string[] = []): Promise<void> {
  const client = await getContainerRuntimeClient();
  const networks = new Set([...networkNames, ...containers.flatMap((c) => Object.keys(c.NetworkSettings?.Networks ?? {}))].filter((n) => n.startsWith("slo-")));
  await Promise.all(containers.map((c) => client.container.dockerode.getContainer(c.Id).remove({ force: true })));
  // As the sweep always did: a network that will not go (gone already, or still in use by something
  // not of this stack) must not stop the next run from starting; the containers and directory are gone.
  for (const name of networks)
    await client.network
      .getById(name)
      .remove()
      .catch(() => undefined);
  for (const pid of processesNamingDir(runDir))
    await stopProcess({ name: "orphaned", pid, startTime: processStartTime(pid) ?? "", logFile: "", command: [] }, 2000);
  rmSync(runDir, { recursive: true, force: true });
}
