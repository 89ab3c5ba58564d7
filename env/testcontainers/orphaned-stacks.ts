import { isSameProcess } from "../../core/process-identity.js";
import { KEPT_LABEL, OWNER_LABEL } from "./stack-labels.js";
import { removeStack, stackContainersByRun } from "./stack-removal.js";

function ownerIsGone(owner: string | undefined): boolean {
  if (!owner) return true;
  const [pid, startTime] = [Number(owner.split(":")[0]), owner.slice(owner.indexOf(":") + 1)];
  return !Number.isInteger(pid) || !isSameProcess(pid, startTime);
}

/**
 * Removes what a harness killed with SIGKILL left of its testcontainers stacks: containers,
 * their network, the alert receiver and the run directory. Testcontainers' Ryuk reaper would do
 * this, but it is an image that cannot be pulled where images are built locally, so it is off
 * there; a stack whose owner still runs is a concurrent run's, and one `run --keep` left is the
 * operator's until `slo-harness down`: both are left alone. Runs after the journal recovery, so a
 * fault such a stack held is rolled back (or found gone) and reported first.
 */
export async function removeOrphanedStacks(): Promise<string[]> {
  const removed: string[] = [];
  for (const [runDir, stack] of await stackContainersByRun()) {
    if (stack.some((c) => c.Labels[KEPT_LABEL] === "true")) continue;
    if (!stack.every((c) => ownerIsGone(c.Labels[OWNER_LABEL]))) continue;
    await removeStack(runDir, stack);
    removed.push(runDir);
  }
  return removed;
}
