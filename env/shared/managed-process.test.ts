import { spawn } from "node:child_process";
import { isAlive, processStartTime } from "../../core/process-identity.js";
import { stopProcess } from "./managed-process.js";

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

  it("should stop the process group a record names when pid and start time both match", async () => {
    const pid = bystander();
    const note = await stopProcess({ name: "victim", pid, startTime: processStartTime(pid)!, logFile: "", command: [] }, 2000);
    expect(note).toBeUndefined();
    for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(pid)).toBe(false);
  });
});
