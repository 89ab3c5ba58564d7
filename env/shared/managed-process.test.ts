import { spawn } from "node:child_process";
import { isAlive, processStartTime } from "../../core/process-identity.js";
import { stopProcess } from "./managed-process.js";
import { processState } from "../../chaos/utils/process-state.js";

/** A process of someone else's: its own group, nothing to do with any stack. */
function bystander(): number {
  const child = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
  child.unref();
  return child.pid!;
}

describe("stopProcess", () => {
  it("should leave alone a process whose pid matches a record but whose start time does not (a reused pid), and say so", async () => {
    const pid = bystander();
    try {
      const note = await stopProcess({ name: "otel-collector", pid, startTime: "1", logFile: "", command: [] }, 200);
      expect(isAlive(pid)).toBe(true);
      expect(note).toBe(`otel-collector: pid ${pid} now belongs to another process (not started at 1), left alone`);
    } finally {
      process.kill(-pid, "SIGKILL");
    }
  });

  it("should stop a group left stopped by a pause at its SIGTERM, not at the end of the grace period", async () => {
    // Exits 0 on SIGTERM, as the stack's daemons shut down, so only a SIGTERM that is handled ends it early.
    const child = spawn("bash", ["-c", 'trap "exit 0" TERM; while :; do sleep 0.1; done'], { detached: true, stdio: "ignore" });
    child.unref();
    const pid = child.pid!;
    process.kill(-pid, "SIGSTOP");
    for (let i = 0; i < 100 && processState(pid) !== "T"; i++) await new Promise((r) => setTimeout(r, 20));
    expect(processState(pid)).toBe("T");
    const started = Date.now();
    await stopProcess({
      name: "paused",
      pid,
      startTime: processStartTime(pid)!,
      logFile: "",
      command: [],
      spec: { name: "paused", command: "bash", args: [], logFile: "", stopGraceMs: 10_000 },
    });
    const stopMs = Date.now() - started;
    expect(isAlive(pid)).toBe(false);
    expect(stopMs).toBeLessThan(5000);
  });

  it("should stop the process group a record names when pid and start time both match", async () => {
    const pid = bystander();
    const note = await stopProcess({ name: "victim", pid, startTime: processStartTime(pid)!, logFile: "", command: [] }, 2000);
    expect(note).toBeUndefined();
    for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(pid)).toBe(false);
  });
});
