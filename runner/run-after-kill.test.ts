import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import axios from "axios";
import { execa } from "execa";
import { runCli, type CliRun } from "../test/cli.js";
import { eventually } from "../test/eventually.js";
import { ReportSchema, type Report } from "../core/report-schema.js";
import type { JournalRecord, UndoAction } from "../chaos/fault-journal.js";
import { groupMembers, processState } from "../chaos/utils/process-state.js";
import { containerState } from "../chaos/utils/docker-containers.js";
import { readState } from "../env/local/stack-state.js";
import { processesNamingDir } from "../env/shared/processes-naming-dir.js";

process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "localhost";

/** Journals of these runs only, so the next run recovers exactly what the killed one left. */
function isolatedRuns(name: string) {
  const root = mkdtempSync(path.join(tmpdir(), `slo-harness-${name}-`));
  const env = { SLO_HARNESS_JOURNALS: path.join(root, "journals") };
  const experiment = (file: string, yaml: string) => {
    writeFileSync(path.join(root, file), yaml);
    return path.join(root, file);
  };
  const run = (args: string[]) => runCli(["run", ...args], { env });
  return { root, journals: env.SLO_HARNESS_JOURNALS, experiment, run };
}

/** The undo journaled for a fault, once the run says the fault is in place (the journal has it from before it acted). */
async function journaledUndo(journals: string, faultId: string, run: CliRun, timeoutMs: number): Promise<UndoAction[]> {
  await run.waitFor(new RegExp(`fault ${faultId} injected`), timeoutMs);
  const lines = readdirSync(journals).flatMap((f) => readFileSync(path.join(journals, f), "utf8").split("\n").filter(Boolean));
  const record = lines.map((l) => JSON.parse(l) as JournalRecord).find((r) => r.faultId === faultId && r.state === "injecting");
  if (!record) throw new Error(`no injecting record for ${faultId} in ${journals}: ${lines.join("\n")}`);
  return record.undo;
}

async function killHard(run: CliRun): Promise<void> {
  run.child.kill("SIGKILL");
  expect((await run.result).code).toBeNull();
}

function readReport(out: string): Report {
  return ReportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")));
}

/** How long recovery took after the SIGKILL, from the next run's report. */
function recoveryTimes(report: Report, killedAt: number): string {
  const done = Math.max(...report.recoveredFaults.map((f) => Date.parse(f.rolledBackAt!)));
  return `rolled back ${done - killedAt} ms after the SIGKILL (the next harness's start included), before its environment started`;
}

const QUIET = (provider: string) => `title: Does the next run start cleanly?\nenv: { provider: ${provider} }\nsteadyState: { before: [api-healthy] }\n`;

describe("slo-harness run after a run --keep killed with SIGKILL mid-fault (local)", () => {
  let runs: ReturnType<typeof isolatedRuns>;
  let keptRunDir: string | undefined;

  beforeAll(() => {
    runs = isolatedRuns("killed-keep");
  });

  afterAll(async () => {
    if (keptRunDir) await runCli(["down", "--run-dir", keptRunDir]).result;
    rmSync(runs.root, { recursive: true, force: true });
  });

  it("should resume the kept stack's paused component and report the fault it rolled back", async () => {
    const paused = runs.experiment(
      "alertmanager-paused.yaml",
      `title: Left paused by a killed harness, is Alertmanager resumed by the next run?
env: { provider: local }
allowlist: [alertmanager]
steadyState: { before: [api-healthy] }
faults:
  - { id: alertmanager-paused, injector: process, target: alertmanager, with: { mode: pause }, at: 0s, duration: 10m }
`,
    );
    const first = runs.run([paused, "--keep", "--out", path.join(runs.root, "first")]);
    const [undo] = await journaledUndo(runs.journals, "alertmanager-paused", first, 300_000);
    if (undo?.kind !== "signal-group") throw new Error(`expected a signal-group undo, got ${JSON.stringify(undo)}`);
    keptRunDir = undo.runDir!;
    await eventually(async () => expect(groupMembers(undo.pgid).every((m) => m.state === "T")).toBe(true), 10_000);

    const killedAt = Date.now();
    await killHard(first);
    expect(processState(undo.pgid)).toBe("T");
    expect(readState(keptRunDir)!.persistent).toBe(true);

    const out = path.join(runs.root, "next");
    const next = await runs.run([runs.experiment("quiet.yaml", QUIET("local")), "--out", out]).result;
    const report = readReport(out);

    expect({ code: next.code, verdict: report.verdict }).toEqual({ code: 0, verdict: "pass" });
    expect(groupMembers(undo.pgid).filter((m) => m.state === "T")).toEqual([]);
    const alertmanager = readState(keptRunDir)!.endpoints!.alertmanager;
    expect((await axios.get(`${alertmanager}/-/ready`, { proxy: false, timeout: 5000 })).status).toBe(200);
    expect(report.recoveredFaults).toEqual([
      {
        id: "alertmanager-paused",
        injector: "process",
        injectedAt: expect.any(String),
        rolledBackAt: expect.any(String),
        leftBy: { experiment: "alertmanager-paused", provider: "local", runDir: keptRunDir, pid: first.child.pid },
        actions: [
          expect.stringMatching(
            new RegExp(
              `^signal-group: SIGCONT to process group ${undo.pgid} \\(its leader\\): \\d+ processes running, none stopped; its health check answered \\d+ ms after SIGCONT$`,
            ),
          ),
        ],
      },
    ]);
    expect(report.summary).toContain(
      "the harness rolled back 1 fault(s) a killed earlier run left in place: alertmanager-paused (process, left by alertmanager-paused)",
    );
    expect(readFileSync(path.join(out, "report.html"), "utf8")).toContain("Rolled back 1 fault(s) a killed earlier run left in place");
    expect(next.stderr).toMatch(/fault alertmanager-paused left in place by a killed earlier run rolled back: signal-group: SIGCONT/);
    expect(readdirSync(runs.journals)).toEqual([]);
    console.log(`local --keep: ${recoveryTimes(report, killedAt)}; ${report.recoveredFaults[0]!.actions[0]}`);
  }, 600_000);
});

/** What a SIGKILLed harness leaves of a testcontainers stack when no Ryuk reaper runs: containers, network, receiver, run directory. */
async function removeOrphanedStack(runDir: string): Promise<void> {
  const ids = (await execa("docker", ["ps", "-aq", "--filter", `label=slo-harness.run=${runDir}`])).stdout.split("\n").filter(Boolean);
  const networks = ids.length
    ? (await execa("docker", ["inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", ...ids])).stdout.split(/\s+/).filter(Boolean)
    : [];
  if (ids.length) await execa("docker", ["rm", "-f", ...ids]);
  for (const network of new Set(networks.filter((n) => n.startsWith("slo-")))) await execa("docker", ["network", "rm", network], { reject: false });
  for (const pid of processesNamingDir(runDir)) process.kill(pid, "SIGKILL");
  rmSync(runDir, { recursive: true, force: true });
}

describe("slo-harness run after a testcontainers run killed with SIGKILL mid-fault", () => {
  let runs: ReturnType<typeof isolatedRuns>;
  let orphanedRunDir: string | undefined;

  beforeAll(() => {
    runs = isolatedRuns("killed-tc");
  });

  afterAll(async () => {
    if (orphanedRunDir) await removeOrphanedStack(orphanedRunDir);
    rmSync(runs.root, { recursive: true, force: true });
  });

  it("should unpause the container left paused, say the removed one took its fault with it, and report both", async () => {
    const paused = runs.experiment(
      "containers-paused.yaml",
      `title: Left paused by a killed harness, are the containers unpaused by the next run?
env: { provider: testcontainers, options: { images: local } }
allowlist: [alertmanager, jaeger]
steadyState: { before: [api-healthy] }
faults:
  - { id: alertmanager-paused, injector: docker, target: alertmanager, with: { mode: pause }, at: 0s, duration: 10m }
  - { id: jaeger-paused, injector: docker, target: jaeger, with: { mode: pause }, at: 0s, duration: 10m }
`,
    );
    const first = runs.run([paused, "--out", path.join(runs.root, "first")]);
    const containerOf = async (faultId: string) => {
      const [undo] = await journaledUndo(runs.journals, faultId, first, 600_000);
      if (undo?.kind !== "docker-unpause") throw new Error(`expected a docker-unpause undo, got ${JSON.stringify(undo)}`);
      await eventually(async () => expect((await containerState(undo.containerId))?.paused).toBe(true), 10_000);
      return undo.containerId;
    };
    const [alertmanager, jaeger] = await Promise.all([containerOf("alertmanager-paused"), containerOf("jaeger-paused")]);
    orphanedRunDir = JSON.parse(readFileSync(path.join(runs.journals, readdirSync(runs.journals)[0]!), "utf8").split("\n")[0]!).runDir as string;

    const killedAt = Date.now();
    await killHard(first);
    // Without Ryuk (local images) the containers outlive the harness, still paused; with Ryuk they are removed: one stands for that.
    expect((await containerState(alertmanager))?.paused).toBe(true);
    await execa("docker", ["rm", "-f", jaeger]);

    const out = path.join(runs.root, "next");
    const next = await runs.run([runs.experiment("quiet.yaml", QUIET("testcontainers")), "--images", "local", "--out", out]).result;
    const report = readReport(out);

    expect({ code: next.code, verdict: report.verdict }).toEqual({ code: 0, verdict: "pass" });
    // Rolled back first (the actions below), then the dead run's stack removed by the provider: nothing is left behind.
    expect(next.stderr).toContain(`removed the stack a killed run left behind: ${orphanedRunDir}`);
    expect(await containerState(alertmanager)).toBeUndefined();
    expect(existsSync(orphanedRunDir)).toBe(false);
    expect((await execa("docker", ["ps", "-aq", "--filter", `label=slo-harness.run=${orphanedRunDir}`])).stdout).toBe("");
    const leftBy = { experiment: "containers-paused", provider: "testcontainers", runDir: orphanedRunDir, pid: first.child.pid };
    const recovered = [...report.recoveredFaults].sort((a, b) => a.id.localeCompare(b.id));
    expect(recovered.map((f) => ({ id: f.id, injector: f.injector, leftBy: f.leftBy, actions: f.actions }))).toEqual([
      {
        id: "alertmanager-paused",
        injector: "docker",
        leftBy,
        actions: [`docker-unpause: unpaused container ${alertmanager.slice(0, 12)}; docker reports it running`],
      },
      { id: "jaeger-paused", injector: "docker", leftBy, actions: [`docker-unpause: container ${jaeger.slice(0, 12)} is gone, nothing to unpause`] },
    ]);
    expect(report.summary).toContain("rolled back 2 fault(s) a killed earlier run left in place");
    expect(readdirSync(runs.journals)).toEqual([]);
    console.log(`testcontainers: ${recoveryTimes(report, killedAt)}; ${report.recoveredFaults.flatMap((f) => f.actions).join("; ")}`);
  }, 900_000);
});
