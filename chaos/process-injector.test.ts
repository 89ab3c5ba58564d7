import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import axios from "axios";
import type { StartedEnvironment } from "../core/environment.js";
import { componentProcess, isComponentRunning } from "../env/local/component-control.js";
import { LocalEnvironment } from "../env/local/local-environment.js";
import { targetScratchDir } from "../env/local/components/service-target.js";
import type { StartedLocalEnvironment } from "../env/local/started-local-environment.js";
import { eventually } from "../test/eventually.js";
import { analysisRequest, faultContext, faultPlan } from "../test/fault-context.js";
import { ProcessInjector } from "./process-injector.js";
import { groupMembers, processState } from "./utils/process-state.js";

const injector = new ProcessInjector();

describe("ProcessInjector params", () => {
  it("should name the components of the local stack when the target is not one", () => {
    expect(() => injector.describe(faultPlan({ faultId: "f", target: "redis", allowlist: ["redis"], params: { mode: "pause" } }))).toThrow(
      'faults[f].target: expected a component of the local stack (postgres, otel-collector, prometheus, jaeger, victoria-logs, alertmanager, toxiproxy, alert-receiver), got "redis"',
    );
  });

  it("should refuse a restartAfter longer than the fault", () => {
    expect(() =>
      injector.describe(
        faultPlan({
          faultId: "collector-killed",
          target: "otel-collector",
          allowlist: ["otel-collector"],
          params: { mode: "kill-restart", restartAfter: "2m" },
          maxDurationMs: 75_000,
        }),
      ),
    ).toThrow("faults[collector-killed].with.restartAfter: 2m is longer than the fault's duration 75s; shorten restartAfter or lengthen the fault");
  });

  it("should bound the default restartAfter by a short fault", () => {
    expect(
      injector.describe(faultPlan({ faultId: "f", target: "jaeger", allowlist: ["jaeger"], params: { mode: "kill-restart" }, maxDurationMs: 3000 })),
    ).toContain("restart it 3s later");
  });

  it("should name both modes for an unknown one", () => {
    expect(() => injector.describe(faultPlan({ faultId: "f", target: "jaeger", allowlist: ["jaeger"], params: { mode: "crash" } }))).toThrow(
      /^faults\[f\]\.with\.mode: expected mode "kill-restart" .* or "pause" .*, got "crash"$/,
    );
  });
});

describe("ProcessInjector against the real local stack", () => {
  let env: StartedLocalEnvironment;
  let api: string;

  beforeAll(async () => {
    env = await new LocalEnvironment().start();
    api = env.getEndpoints().api;
    expect((await analysisRequest(api)).status).toBe(200);
  });

  afterAll(async () => {
    await env?.stop();
  });

  const pidOf = (name: string) => componentProcess(env.getEndpoints().runDir, name).pid;

  it("should pause the API's whole process group (state T) so requests hang, and resume it on rollback", async () => {
    const pid = pidOf("genomics-api");
    const handle = await injector.inject(faultContext(env, { faultId: "api-paused", target: "genomics-api", params: { mode: "pause" } }));
    try {
      expect(handle.effectVerified).toBe(true);
      expect(handle.evidence).toMatch(
        new RegExp(`genomics-api pid ${pid} has state T \\(stopped\\) in /proc/${pid}/stat; all \\d+ processes in its group are stopped`),
      );
      expect(processState(pid)).toBe("T");
      await expect(analysisRequest(api, "P000001", 1500)).rejects.toThrow(/timeout/);
    } finally {
      await handle.rollback();
    }
    expect(groupMembers(pid).filter((m) => m.state === "T")).toEqual([]);
    expect((await analysisRequest(api)).status).toBe(200);
  });

  it("should blind monitoring by pausing Prometheus, and bring it back on rollback", async () => {
    const ready = `${env.getEndpoints().prometheus}/-/ready`;
    const handle = await injector.inject(faultContext(env, { faultId: "prometheus-paused", target: "prometheus", params: { mode: "pause" } }));
    try {
      expect(handle.effectVerified).toBe(true);
      await expect(axios.get(ready, { proxy: false, timeout: 1000 })).rejects.toThrow(/timeout/);
    } finally {
      await handle.rollback();
    }
    expect((await axios.get(ready, { proxy: false, timeout: 5000 })).status).toBe(200);
  });

  it("should SIGKILL the API and restart it after restartAfter, like a pod", async () => {
    const oldPid = pidOf("genomics-api");
    const leftInTmp = () => readdirSync(tmpdir()).filter((d) => d.startsWith("genomics-api-metrics-"));
    const tmpBefore = leftInTmp();
    const ctx = faultContext(env, { faultId: "api-killed", target: "genomics-api", params: { mode: "kill-restart", restartAfter: "2s" } });
    const handle = await injector.inject(ctx);
    try {
      expect(handle.effectVerified).toBe(true);
      expect(handle.evidence).toMatch(
        new RegExp(`SIGKILL to genomics-api's process group ${oldPid}: all of it gone \\d+ ms after the kill; restart due 2000 ms after the kill`),
      );
      // Refused, or reset or hung up when the request raced the last listener's teardown: never answered.
      await expect(analysisRequest(api, "P000001", 1000)).rejects.toThrow(/ECONNREFUSED|ECONNRESET|socket hang up/);
      // Back by itself, before anyone rolls back.
      await eventually(async () => expect((await analysisRequest(api)).status).toBe(200), 30_000);
    } finally {
      await handle.rollback();
    }
    const restarted = ctx.timeline.first("note", "api-killed")?.data as { downMs: number; pid: number };
    console.log(`process kill-restart genomics-api: ${handle.evidence}; back after ${restarted.downMs} ms (restartAfter 2s)`);
    expect(restarted.downMs).toBeGreaterThanOrEqual(2000);
    expect(pidOf("genomics-api")).toBe(restarted.pid);
    expect(restarted.pid).not.toBe(oldPid);
    expect(ctx.journal.outstanding()).toEqual([]);
    // The killed master could not remove its workers' metrics dir: it is in the run directory, which goes with the stack, not in /tmp.
    expect(readdirSync(targetScratchDir(env.getEndpoints().runDir, "genomics-api"))).toHaveLength(2);
    expect(leftInTmp()).toEqual(tmpBefore);
  });

  it("should restart at once when rolled back before restartAfter, here PostgreSQL, and the API serves again", async () => {
    const ctx = faultContext(env, { faultId: "db-killed", target: "postgres", params: { mode: "kill-restart", restartAfter: "50s" } });
    const handle = await injector.inject(ctx);
    let during: Awaited<ReturnType<typeof analysisRequest>>;
    let started: number;
    try {
      during = await analysisRequest(api);
    } finally {
      started = Date.now();
      await handle.rollback();
    }
    console.log(
      `process kill-restart postgres: rollback restarted it in ${Date.now() - started} ms: ${ctx.timeline.first("fault-rolled-back")?.data?.evidence}`,
    );
    expect(during.status).toBe(503);
    expect(isComponentRunning(env.getEndpoints().runDir, "postgres")).toBe(true);
    expect((await analysisRequest(api)).status).toBe(200);
  });

  it("should refuse a component outside the allowlist and leave it alone", async () => {
    const pid = pidOf("otel-collector");
    const ctx = faultContext(env, { faultId: "collector-killed", target: "otel-collector", allowlist: ["genomics-api"], params: { mode: "kill-restart" } });
    await expect(injector.inject(ctx)).rejects.toThrow(
      /refused to run the process injector on target "otel-collector": it is not in the experiment's allowlist \(\["genomics-api"\]\)/,
    );
    expect(pidOf("otel-collector")).toBe(pid);
    expect(processState(pid)).not.toBe("T");
    expect(ctx.journal.outstanding()).toEqual([]);
  });

  it("should say it only acts on a stack run as processes", async () => {
    const ctx = faultContext(env, { faultId: "f", target: "jaeger", params: { mode: "pause" } });
    // A provider without process control, as kind's is.
    ctx.environment = Object.create(ctx.environment, { provider: { value: "kind" }, processes: { value: undefined } }) as StartedEnvironment;
    await expect(injector.inject(ctx)).rejects.toThrow(
      `faults[f]: the process injector signals processes of a stack run as processes (the local provider); this environment's provider is "kind"`,
    );
  });
});
