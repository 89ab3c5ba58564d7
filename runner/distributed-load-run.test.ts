import type { DistributedFigures } from "../scenarios/distributed/index.js";
import { distributedLoadNotes } from "./distributed-load-run.js";
import { overallVerdict } from "./run-experiment.js";
import { runCli } from "../test/cli.js";

const figures = (states: Array<"completed" | "failed">): DistributedFigures => ({
  runners: states.length,
  image: "slo-harness/load-runner:1",
  job: "genomics/slo-harness-load-1",
  target: "http://genomics-api.genomics.svc.cluster.local:8000",
  startAt: "2026-01-01T00:00:00.000Z",
  askedRps: 10,
  perRunner: states.map((state, index) => ({
    index,
    expectedRequests: 600,
    requests: state === "completed" ? 600 : 211,
    errors: 0,
    state,
    ...(state === "failed" ? { reason: "pod r-1 Failed: Evicted" } : {}),
  })),
  mergeMemoryMb: { heapBefore: 1, heapPeak: 2, rssPeak: 3 },
});

describe("distributed load in the verdict", () => {
  it("should say where the load came from, and name each runner that did not send its share with what it sent of what was expected", () => {
    expect(distributedLoadNotes(figures(["completed", "failed", "completed"]))).toEqual([
      "The load came from 3 runner pods of Job genomics/slo-harness-load-1 (deleted since) sending to http://genomics-api.genomics.svc.cluster.local:8000: 600/211/600 requests of 600 expected each.",
      "Load runner 2 of 3 did not complete its share: 211 of 600 expected requests sent (pod r-1 Failed: Evicted).",
    ]);
    expect(distributedLoadNotes({ ...figures(["completed", "completed"]), startSkewMs: 21 })).toEqual([
      "The load came from 2 runner pods of Job genomics/slo-harness-load-1 (deleted since) sending to http://genomics-api.genomics.svc.cluster.local:8000: 600/600 requests of 600 expected each; their starts 21 ms apart.",
    ]);
  });

  it("should make a run that would pass inconclusive when part of the load never ran, and leave a fail a fail", () => {
    const base = { before: [], expectations: [], after: [], faultsOk: true, partial: false };
    expect(overallVerdict({ ...base, loadComplete: true })).toBe("pass");
    expect(overallVerdict({ ...base, loadComplete: false })).toBe("inconclusive");
    const failed = { id: "x", verdict: "fail" } as unknown as Parameters<typeof overallVerdict>[0]["expectations"][number];
    expect(overallVerdict({ ...base, expectations: [failed], loadComplete: false })).toBe("fail");
  });
});

describe("run --distributed-load on the command line", () => {
  it("should refuse it, before anything starts, for a provider with no Kubernetes cluster, and refuse a runner count out of range", async () => {
    const local = await runCli(["run", "experiments/smoke.yaml", "--env", "local", "--distributed-load", "3", "--load-runner-image", "r:1"]).result;
    expect({ code: local.code, stderr: local.stderr.trim() }).toEqual({
      code: 2,
      stderr: "slo-harness: --distributed-load: the local provider has no Kubernetes cluster to run load runners in; use kind or existing, or drop the flag",
    });
    const zero = await runCli(["run", "experiments/smoke.yaml", "--distributed-load", "0"]).result;
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--distributed-load: expected a number of runner pods from 1 to 50 like 3, got "0"');
  });

  it("should say in --dry-run where the load would come from", async () => {
    const dry = await runCli(["run", "experiments/kubernetes/pod-eviction.yaml", "--dry-run", "--distributed-load", "3", "--load-runner-image", "r:1"]).result;
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      "load from 3 runner pods of an Indexed Job (r:1) in the target's namespace, each 1/3 of the rate, sent to the target's Service",
    );
  });

  it("should document the flag in run --help", async () => {
    const help = await runCli(["run", "--help"]).result;
    const flat = help.stdout.replace(/\s+/g, " ");
    expect(flat).toContain("--distributed-load <runners> kind and existing: send the load from this many runner pods");
    expect(help.stdout).toContain("--load-runner-image <ref>");
  });
});
