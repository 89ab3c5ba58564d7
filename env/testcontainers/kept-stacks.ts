import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ComponentInfo, Endpoints } from "../../core/environment.js";
import { RUN_DIR_PREFIX } from "./stack-labels.js";

/** In the run directory of a stack `run --keep` left running, for `status` and `down`. */
const STATE_FILE = "kept-stack.json";

export interface KeptStack {
  provider: "testcontainers";
  createdAt: string;
  network: string;
  endpoints: Endpoints;
  components: ComponentInfo[];
}

export function writeKeptStack(runDir: string, stack: Omit<KeptStack, "provider" | "createdAt">): void {
  const file = path.join(runDir, STATE_FILE);
  const state: KeptStack = { provider: "testcontainers", createdAt: new Date().toISOString(), ...stack };
  // The endpoints name the database's superuser: readable by this user only.
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** The testcontainers stacks `run --keep` left running. Reads files only: no Docker needed to list them. */
export function listKeptStacks(): { runDir: string; state: KeptStack }[] {
  return readdirSync(tmpdir())
    .filter((name) => name.startsWith(RUN_DIR_PREFIX))
    .flatMap((name) => {
      const runDir = path.join(tmpdir(), name);
      try {
        return [{ runDir, state: JSON.parse(readFileSync(path.join(runDir, STATE_FILE), "utf8")) as KeptStack }];
      } catch {
        // A stack of a run still going (or one a killed run left, which the next run sweeps) has no state file.
        return [];
      }
    })
    .sort((a, b) => a.runDir.localeCompare(b.runDir));
}

/**
 * `slo-harness down`: removes every kept testcontainers stack, or only the one in runDir —
 * containers, network, alert receiver and run directory. Docker is asked only when there is one.
 */
export async function removeKeptStacks(only?: string): Promise<string[]> {
  const kept = listKeptStacks().filter((s) => !only || path.resolve(only) === s.runDir);
  if (kept.length === 0) return [];
  // Loaded here, not at the top: Testcontainers costs every command ~0.3 s at startup.
  const { removeStack, stackContainersByRun } = await import("./stack-removal.js");
  const byRun = await stackContainersByRun().catch((err: Error) => {
    throw new Error(`the testcontainers stack in ${kept[0]!.runDir} needs a Docker engine to be removed: ${err.message}`, { cause: err });
  });
  for (const { runDir, state } of kept) await removeStack(runDir, byRun.get(runDir) ?? [], [state.network]);
  return kept.map((s) => s.runDir);
}
