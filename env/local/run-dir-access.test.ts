import { chmodSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FaultJournal } from "../../chaos/fault-journal.js";
import { newRunDir } from "./stack-state.js";

const mode = (dir: string) => statSync(dir).mode & 0o777;

/**
 * PostgreSQL's own user must pass through every folder above its data directory. On a fresh
 * machine the journals were once created first, and their 0700 reached the per-user folder they
 * share with the run directories: initdb then could not read its password file.
 */
describe("the folders above a run directory", () => {
  const saved = process.env.SLO_HARNESS_RUNS;
  afterEach(() => {
    if (saved === undefined) delete process.env.SLO_HARNESS_RUNS;
    else process.env.SLO_HARNESS_RUNS = saved;
  });

  it("should keep the shared per-user folder passable when the journals come first, and only the journals private", () => {
    const perUser = path.join(mkdtempSync(path.join(tmpdir(), "run-dir-access-")), "slo-harness-someone");
    FaultJournal.forRun({ experiment: "first", provider: "local", runDir: "/nowhere" }, path.join(perUser, "journals")).close();
    expect({ perUser: mode(perUser), journals: mode(path.join(perUser, "journals")) }).toEqual({ perUser: 0o755, journals: 0o700 });
  });

  it("should open a private folder above the run directories for passing through, not for listing", () => {
    const perUser = mkdtempSync(path.join(tmpdir(), "run-dir-access-"));
    chmodSync(perUser, 0o700);
    process.env.SLO_HARNESS_RUNS = path.join(perUser, "runs");
    const run = newRunDir();
    expect({ perUser: mode(perUser), runs: mode(path.dirname(run)), run: mode(run) }).toEqual({ perUser: 0o711, runs: 0o755, run: 0o755 });
  });
});
