import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { repoRoot } from "../core/paths.js";
import { listRunDirs } from "../env/local/stack-state.js";
import { runCli } from "../test/cli.js";
import { ReportSchema } from "../core/report-schema.js";
import { processesNamingDir } from "../env/shared/processes-naming-dir.js";

describe("slo-harness run, interrupted with SIGINT mid-fault", () => {
  it("should roll back the fault, write a partial report, stop the stack and exit 130 as shells expect", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "slo-harness-sigint-"));
    const run = runCli(["run", "experiments/pool-exhaustion.yaml", "--out", out]);
    await run.waitFor(/fault pool-exhausted verified/, 240_000);
    run.child.kill("SIGINT");
    const { code, stderr } = await run.result;

    expect(stderr).toContain("SIGINT: rolling back faults and writing a partial report");
    expect(code).toBe(130);
    const report = ReportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")));
    expect(report.partial).toBe(true);
    expect(report.verdict).toBe("inconclusive");
    const fault = report.faults.find((f) => f.id === "pool-exhausted")!;
    expect(fault.effectVerified).toBe(true);
    expect(fault.rolledBackAt).toBeDefined();
    expect(report.timeline.some((e) => e.kind === "fault-rolled-back" && e.id === "pool-exhausted")).toBe(true);
    // The fault that had not started yet never starts.
    expect(report.faults.find((f) => f.id === "variants-locked")!.injectedAt).toBeUndefined();
    const runDir = report.environment.endpoints.runDir!;
    expect(existsSync(runDir)).toBe(false);
    expect(processesNamingDir(runDir)).toEqual([]);
  }, 400_000);
});

describe("slo-harness run, its reader gone (stderr closed: a killed CI step or a closed pipe)", () => {
  it("should take it as a hangup: stop, leave no stack behind and exit 129, rather than spin on the broken pipe", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "slo-harness-epipe-"));
    const runsBefore = new Set(listRunDirs());
    const child = spawn(process.execPath, [path.join(repoRoot, "bin", "slo-harness.js"), "run", "experiments/smoke.yaml", "--out", out], {
      cwd: repoRoot,
      stdio: ["ignore", "ignore", "pipe"],
    });
    // Closed before the first progress line, so every write to stderr fails with EPIPE.
    child.stderr!.destroy();
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    const cpuBound = Date.now() - started;
    expect(code).toBe(129);
    for (const runDir of listRunDirs().filter((d) => !runsBefore.has(d))) expect(processesNamingDir(runDir)).toEqual([]);
    console.log(`a run with its stderr closed exited ${code} after ${cpuBound} ms`);
  }, 300_000);
});
