import path from "node:path";
import { execa } from "execa";
import { componentProcess, isComponentRunning, localProcessControlAt } from "../env/local/component-control.js";
import { LocalEnvironment } from "../env/local/local-environment.js";
import type { StartedLocalEnvironment } from "../env/local/started-local-environment.js";
import { repoRoot } from "../core/paths.js";
import { analysisRequest, newJournal } from "../test/fault-context.js";
import { FaultJournal } from "./fault-journal.js";
import { recoverOutstandingFaults } from "./journal-recovery.js";
import { applicationNameFor, sessionPids } from "./utils/pg-sessions.js";
import { groupMembers, processState } from "./utils/process-state.js";
import { ToxiproxyClient } from "./utils/toxiproxy-client.js";
import { StubHttpServer } from "../assertions/utils/stub-http.js";

describe("recoverOutstandingFaults without a stack", () => {
  it("should find nothing to do in an empty journal", async () => {
    expect(await recoverOutstandingFaults(newJournal())).toEqual([]);
  });

  it("should close a fault whose stack is gone, since the fault went with it", async () => {
    const journal = newJournal();
    journal.injecting("collector-killed", "process", [{ kind: "restart-component", runDir: "/nonexistent/run", component: "otel-collector" }]);
    const recovered = await recoverOutstandingFaults(journal);
    expect(recovered.map((r) => r.actions)).toEqual([["restart-component: the stack at /nonexistent/run is gone, nothing to restart"]]);
    expect(journal.outstanding()).toEqual([]);
  });

  it("should recover what it can, then name each fault it could not undo and keep it outstanding", async () => {
    // A Toxiproxy that is there but fails: unlike one that is gone, its toxic may still be in place.
    const toxiproxy = new StubHttpServer().on("/proxies/postgres/toxics/*", (_req, res) => res.writeHead(500).end("toxiproxy broke"));
    const apiUrl = await toxiproxy.start();
    try {
      const journal = newJournal();
      journal.injecting("db-slow", "network", [{ kind: "toxiproxy-delete-toxic", apiUrl, proxy: "postgres", toxic: "slo-harness-db-slow" }]);
      journal.injecting("gone-group", "process", [{ kind: "signal-group", pgid: 2 ** 22 + 7, startTime: "0", signal: "SIGCONT" }]);
      await expect(recoverOutstandingFaults(journal)).rejects.toThrow(
        /could not undo 1 fault\(s\) a previous run left in .*\.jsonl:\nfaults\[db-slow\] \(network, injected .*\): Toxiproxy at http:\/\/127\.0\.0\.1:\d+: deleting toxic "slo-harness-db-slow" of proxy "postgres" answered HTTP 500/,
      );
      expect(journal.outstanding().map((r) => r.faultId)).toEqual(["db-slow"]);
    } finally {
      await toxiproxy.stop();
    }
  });
});

describe("recoverOutstandingFaults after a harness killed with SIGKILL mid-fault", () => {
  let env: StartedLocalEnvironment;

  beforeAll(async () => {
    // The child runs compiled code; only chaos/ and what it imports, so unrelated work in progress cannot break the build.
    const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    const options = [
      "--outDir",
      "dist",
      "--rootDir",
      ".",
      "--module",
      "NodeNext",
      "--moduleResolution",
      "NodeNext",
      "--target",
      "ES2022",
      "--strict",
      "--esModuleInterop",
      "--skipLibCheck",
      "--types",
      "node",
    ];
    await execa("node", [tsc, ...options, "chaos/index.ts", "core/timeline.ts", "env/local/component-control.ts"], { cwd: repoRoot });
    env = await new LocalEnvironment().withDbProxy().start();
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("should restore the system: API answering, no chaos session, no toxic, collector back, nothing stopped", async () => {
    const endpoints = env.getEndpoints();
    const journalFile = path.join(endpoints.runDir, "chaos-journal.jsonl");
    const faults = [
      { faultId: "pool-exhausted", injector: "pool-exhaustion", target: "postgres", params: { mode: "connections", hold: "100%" } },
      { faultId: "db-slow", injector: "network", target: "postgres", params: { toxic: "latency", latency: "200ms" } },
      { faultId: "collector-killed", injector: "process", target: "otel-collector", params: { mode: "kill-restart", restartAfter: "5m" } },
      { faultId: "api-paused", injector: "process", target: "genomics-api", systemUnderTest: "genomics-api", params: { mode: "pause" } },
    ];
    const child = execa("node", [path.join(repoRoot, "test", "chaos-child.mjs"), JSON.stringify({ endpoints, journalFile, faults })], {
      reject: false,
      all: true,
    });
    const ready = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the child printed no READY line within 60 s")), 60_000);
      child.all!.on("data", (chunk: Buffer) => {
        const line = chunk
          .toString()
          .split("\n")
          .find((l) => l.startsWith("READY "));
        if (line) {
          clearTimeout(timer);
          resolve(line);
        }
      });
      void child.then((result) => reject(new Error(`the child exited before READY:\n${result.all}`)));
    });
    expect(JSON.parse(ready.slice("READY ".length))).toEqual({ "pool-exhausted": true, "db-slow": true, "collector-killed": true, "api-paused": true });

    const apiPid = componentProcess(endpoints.runDir, "genomics-api").pid;
    child.kill("SIGKILL");
    expect((await child).signal).toBe("SIGKILL");

    // What the killed run left behind: nothing rolled it back.
    const toxiproxy = new ToxiproxyClient(endpoints.toxiproxy!);
    expect(processState(apiPid)).toBe("T");
    expect((await toxiproxy.listToxics("postgres")).map((t) => t.name)).toEqual(["slo-harness-db-slow"]);
    expect(isComponentRunning(endpoints.runDir, "otel-collector")).toBe(false);
    expect(new FaultJournal(journalFile).outstanding().map((r) => r.faultId)).toEqual(faults.map((f) => f.faultId));

    const started = Date.now();
    const recovered = await recoverOutstandingFaults(new FaultJournal(journalFile), { processesAt: localProcessControlAt });
    const recoveryMs = Date.now() - started;
    console.log(`journal recovery in ${recoveryMs} ms:\n${recovered.map((r) => `${r.faultId}: ${r.actions.join("; ")}`).join("\n")}`);

    expect(recovered.map((r) => r.faultId).sort()).toEqual(faults.map((f) => f.faultId).sort());
    expect(groupMembers(apiPid).filter((m) => m.state === "T")).toEqual([]);
    expect((await analysisRequest(endpoints.api)).status).toBe(200);
    expect(await sessionPids(endpoints.postgres, applicationNameFor("pool-exhausted"))).toEqual([]);
    expect(await toxiproxy.listToxics("postgres")).toEqual([]);
    expect(isComponentRunning(endpoints.runDir, "otel-collector")).toBe(true);
    expect(new FaultJournal(journalFile).outstanding()).toEqual([]);
    expect(await recoverOutstandingFaults(new FaultJournal(journalFile), { processesAt: localProcessControlAt })).toEqual([]);
  });
});
