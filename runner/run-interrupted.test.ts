import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
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
