import { mkdirSync, existsSync, rmSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { cleanStaleRuns, stopAllStacks } from "./stale-runs.js";
import { newState, writeState } from "./stack-state.js";
import { runsRoot } from "../../core/paths.js";
import { isAlive } from "../../core/process-identity.js";

function deadPid(): number {
  const child = spawnSync("true");
  return child.pid!;
}

/** A real process that names the run directory on its command line, as every stack process does. */
function strayProcessNaming(runDir: string): number {
  // The trailing ":" stops bash from exec'ing sleep in its place, which would drop runDir from argv.
  const child = spawn("bash", ["-c", "sleep 60; :", runDir], { detached: true, stdio: "ignore" });
  child.unref();
  return child.pid!;
}

function fakeRunDir(name: string): string {
  const dir = path.join(runsRoot(), `test-${name}-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function waitDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !isAlive(pid);
}

describe("cleanStaleRuns", () => {
  it("should stop the processes of a run whose owner was killed and remove its directory", async () => {
    const runDir = fakeRunDir("orphan");
    const state = newState(false);
    state.owner = { pid: deadPid(), startTime: "1" };
    writeState(runDir, state);
    const stray = strayProcessNaming(runDir);

    const cleaned = await cleanStaleRuns();

    expect(cleaned).toContain(runDir);
    expect(await waitDead(stray)).toBe(true);
    expect(existsSync(runDir)).toBe(false);
  });

  it("should clean a run directory that never got a state file", async () => {
    const runDir = fakeRunDir("torn");
    const stray = strayProcessNaming(runDir);

    expect(await cleanStaleRuns()).toContain(runDir);
    expect(await waitDead(stray)).toBe(true);
  });

  it("should leave a stack started by `up` alone after its owner exits", async () => {
    const runDir = fakeRunDir("persistent");
    const state = newState(true);
    state.owner = { pid: deadPid(), startTime: "1" };
    writeState(runDir, state);
    const kept = strayProcessNaming(runDir);
    try {
      expect(await cleanStaleRuns()).not.toContain(runDir);
      expect(isAlive(kept)).toBe(true);
    } finally {
      process.kill(-kept, "SIGKILL");
      rmSync(runDir, { recursive: true, force: true });
    }
  });

  it("should leave a run whose owner is still alive alone", async () => {
    const runDir = fakeRunDir("live");
    writeState(runDir, newState(false));
    const kept = strayProcessNaming(runDir);
    try {
      expect(await cleanStaleRuns()).not.toContain(runDir);
      expect(isAlive(kept)).toBe(true);
    } finally {
      process.kill(-kept, "SIGKILL");
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});

describe("stopAllStacks (slo-harness down)", () => {
  it("should leave the stack of a run still going to that run, unless it is named", async () => {
    const runDir = fakeRunDir("owned-by-a-live-run");
    writeState(runDir, newState(false));
    const kept = strayProcessNaming(runDir);
    try {
      // Suites run one at a time (maxWorkers 1), so no other test's stack is here to be stopped.
      expect(await stopAllStacks()).not.toContain(runDir);
      expect(isAlive(kept)).toBe(true);
      expect(await stopAllStacks(runDir)).toEqual([runDir]);
      expect(await waitDead(kept)).toBe(true);
      expect(existsSync(runDir)).toBe(false);
    } finally {
      if (isAlive(kept)) process.kill(-kept, "SIGKILL");
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});
