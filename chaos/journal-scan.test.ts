import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { processStartTime } from "../core/process-identity.js";
import { StubHttpServer } from "../assertions/utils/stub-http.js";
import { FaultJournal, type ProcessId, type UndoAction } from "./fault-journal.js";
import { recoverAbandonedJournals } from "./journal-scan.js";
import { processState } from "./utils/process-state.js";

const deadHarness = (): ProcessId => ({ pid: spawnSync("true").pid!, startTime: "1" });

/** A journal as another harness process would have left it: its holder is in the file name. */
function journalHeldBy(dir: string, holder: ProcessId, faults: [faultId: string, injector: string, undo: UndoAction[]][]): string {
  const journal = FaultJournal.forRun({ experiment: "killed-run", provider: "local", runDir: "/tmp/slo-harness-test/runs/killed" }, dir);
  for (const [faultId, injector, undo] of faults) journal.injecting(faultId, injector, undo);
  const held = path.join(dir, path.basename(journal.file).replace(/\.\d+-\d+\.jsonl$/, `.${holder.pid}-${holder.startTime}.jsonl`));
  renameSync(journal.file, held);
  return held;
}

/** A process group of its own, stopped with SIGSTOP, as a paused component is. */
function stoppedGroup(): ChildProcess {
  const child = spawn("sleep", ["60"], { detached: true, stdio: "ignore" });
  child.unref();
  process.kill(-child.pid!, "SIGSTOP");
  return child;
}

async function untilState(pid: number, wanted: (state: string | undefined) => boolean): Promise<string | undefined> {
  for (let i = 0; i < 100 && !wanted(processState(pid)); i++) await new Promise((r) => setTimeout(r, 20));
  return processState(pid);
}

describe("recoverAbandonedJournals", () => {
  let dir: string;
  const started: ChildProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "slo-harness-journals-"));
  });

  afterAll(() => {
    for (const child of started) process.kill(-child.pid!, "SIGKILL");
  });

  it("should leave alone the journal of a harness that is still running, faults and all", async () => {
    const live = spawn("sleep", ["60"], { detached: true, stdio: "ignore" });
    live.unref();
    started.push(live);
    const holder = { pid: live.pid!, startTime: processStartTime(live.pid!)! };
    const paused = stoppedGroup();
    started.push(paused);
    const file = journalHeldBy(dir, holder, [["api-paused", "process", [{ kind: "signal-group", pgid: paused.pid!, startTime: "1", signal: "SIGCONT" }]]]);

    expect(await recoverAbandonedJournals({}, dir)).toEqual([]);
    expect(readdirSync(dir)).toEqual([path.basename(file)]);
    expect(new FaultJournal(file).outstanding().map((r) => r.faultId)).toEqual(["api-paused"]);
    expect(await untilState(paused.pid!, (s) => s === "T")).toBe("T");
  });

  it("should undo a dead harness's fault, name the run that left it, and remove its journal", async () => {
    const paused = stoppedGroup();
    started.push(paused);
    expect(await untilState(paused.pid!, (s) => s === "T")).toBe("T");
    const startTime = processStartTime(paused.pid!)!;
    journalHeldBy(dir, deadHarness(), [["api-paused", "process", [{ kind: "signal-group", pgid: paused.pid!, startTime, signal: "SIGCONT" }]]]);

    const recovered = await recoverAbandonedJournals({}, dir);

    expect(recovered).toEqual([
      {
        faultId: "api-paused",
        injector: "process",
        injectedAt: expect.any(String),
        rolledBackAt: expect.any(String),
        leftBy: { experiment: "killed-run", provider: "local", runDir: "/tmp/slo-harness-test/runs/killed", pid: process.pid },
        actions: [`signal-group: SIGCONT to process group ${paused.pid} (its leader): 1 processes running, none stopped`],
      },
    ]);
    expect(await untilState(paused.pid!, (s) => s !== "T")).not.toBe("T");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("should remove a dead harness's journal whose faults were all rolled back", async () => {
    const file = journalHeldBy(dir, deadHarness(), []);
    const journal = new FaultJournal(file);
    journal.injecting("db-slow", "network", [{ kind: "toxiproxy-delete-toxic", apiUrl: "http://127.0.0.1:1", proxy: "postgres", toxic: "t" }]);
    journal.rolledBack("db-slow", "network");

    expect(await recoverAbandonedJournals({}, dir)).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("should count an undo whose target is gone as nothing left to undo, saying so", async () => {
    journalHeldBy(dir, deadHarness(), [
      ["api-paused", "process", [{ kind: "signal-group", pgid: deadHarness().pid, startTime: "1", signal: "SIGCONT" }]],
      ["collector-killed", "process", [{ kind: "restart-component", runDir: "/nonexistent/run", component: "otel-collector" }]],
      ["db-slow", "network", [{ kind: "toxiproxy-delete-toxic", apiUrl: "http://127.0.0.1:1", proxy: "postgres", toxic: "slo-harness-db-slow" }]],
      [
        "pool-exhausted",
        "pool-exhaustion",
        [{ kind: "pg-terminate-sessions", connectionString: "postgresql://root@127.0.0.1:1/genomics", applicationName: "x" }],
      ],
    ]);

    const actions = (await recoverAbandonedJournals({}, dir)).map((r) => [r.faultId, r.actions]);

    expect(actions).toEqual([
      ["api-paused", [expect.stringMatching(/^signal-group: process group \d+ is gone, nothing left to resume$/)]],
      ["collector-killed", ["restart-component: the stack at /nonexistent/run is gone, nothing to restart"]],
      ["db-slow", ['toxiproxy-delete-toxic: nothing listens at http://127.0.0.1:1 any more: Toxiproxy is gone, and its toxic "slo-harness-db-slow" with it']],
      ["pool-exhausted", ["pg-terminate-sessions: nothing listens at 127.0.0.1:1/genomics any more: the database is gone, and its sessions with it"]],
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("should keep a journal whose undo failed, name it, and retry it at the next start of the same process", async () => {
    const toxiproxy = new StubHttpServer();
    let answer = 500;
    toxiproxy.on("/proxies/postgres/toxics/*", (_req, res) => res.writeHead(answer).end(answer === 500 ? "toxiproxy broke" : ""));
    toxiproxy.json("/proxies/postgres/toxics", []);
    const apiUrl = await toxiproxy.start();
    try {
      journalHeldBy(dir, deadHarness(), [
        ["db-slow", "network", [{ kind: "toxiproxy-delete-toxic", apiUrl, proxy: "postgres", toxic: "slo-harness-db-slow" }]],
      ]);

      await expect(recoverAbandonedJournals({}, dir)).rejects.toThrow(
        /could not undo 1 fault\(s\) a previous run left in .*\.jsonl:\nfaults\[db-slow\] \(network, injected .*\): Toxiproxy at .* answered HTTP 500/,
      );
      const [kept] = readdirSync(dir);
      expect(new FaultJournal(path.join(dir, kept!)).outstanding().map((r) => r.faultId)).toEqual(["db-slow"]);

      answer = 204;
      const recovered = await recoverAbandonedJournals({}, dir);
      expect(recovered.map((r) => r.actions)).toEqual([['toxiproxy-delete-toxic: deleted toxic "slo-harness-db-slow" from proxy "postgres"']]);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await toxiproxy.stop();
    }
  });

  it("should undo a journal once when two scans run at once", async () => {
    const paused = stoppedGroup();
    started.push(paused);
    const startTime = processStartTime(paused.pid!)!;
    journalHeldBy(dir, deadHarness(), [["api-paused", "process", [{ kind: "signal-group", pgid: paused.pid!, startTime, signal: "SIGCONT" }]]]);

    const [first, second] = await Promise.all([recoverAbandonedJournals({}, dir), recoverAbandonedJournals({}, dir)]);

    expect([...first!, ...second!].map((r) => r.faultId)).toEqual(["api-paused"]);
    expect(existsSync(dir) && readdirSync(dir)).toEqual([]);
  });
});
