import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BatchV1Api, CoreV1Api, PolicyV1Api } from "@kubernetes/client-node";
import { buildLoadRunnerImage } from "../../env/images/index.js";
import { DistributedLoad, RUNNER_LABEL, type DistributedFigures } from "../../scenarios/distributed/index.js";
import { planLoad } from "../../scenarios/scenario-registry.js";
import { LoadSpec } from "../../core/experiment-spec.js";
import { loadModel } from "../../core/experiment-mapping.js";
import { applyObjects } from "../../env/kind/kind-manifests.js";
import { localTargetObjects } from "../../env/kind/local-target-manifest.js";
import { freePort } from "../../env/shared/free-port.js";
import { ReportSchema, type Report } from "../../core/report-schema.js";
import { PrometheusClient } from "../../assertions/clients/index.js";
import { runCli } from "../cli.js";
import { startControlPlane, type ControlPlane } from "./control-plane.js";
import { writeExistingCopy } from "./node/existing-copy.js";
import { NODE } from "./node/node-layout.js";
import { startStackOnNode, type StackOnNode } from "./node/stack-on-node.js";

interface GameDay {
  code: number | null;
  report: Report;
  seconds: number;
}

/** What a run's report says users and the server saw, for the suite's log: the figures the README quotes. */
function figures(label: string, day: GameDay): string {
  const r = day.report;
  const load = r.load!;
  const checks = r.expectations.map(
    (e) =>
      `${e.id}: ${e.verdict}${e.detectionLatencySeconds !== undefined ? ` after ${e.detectionLatencySeconds.toFixed(1)} s` : ""} (${e.evidence[0]?.result.slice(0, 160) ?? ""})`,
  );
  const ratio = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(2)} %`);
  const slo = r.slos.map((s) => `${s.name}: error ratio seen by the users ${ratio(s.client.errorRatio)}, counted by the server ${ratio(s.server.errorRatio)}`);
  return [
    `${label}: exit ${day.code}, ${r.verdict} in ${day.seconds.toFixed(0)} s`,
    `  users: ${load.requests} requests, ${load.errors} failed, p50 ${load.latency.p50.toFixed(0)} ms, p99 ${load.latency.p99.toFixed(0)} ms, max ${load.latency.max.toFixed(0)} ms, codes ${JSON.stringify(load.statusCodes)}`,
    ...r.faults.map((f) => `  fault ${f.id}: ${f.evidence}`),
    ...checks.map((c) => `  ${c}`),
    ...slo.map((s) => `  ${s}`),
  ].join("\n");
}

/**
 * The game days for real: `slo-harness run` on the existing provider against the real node with
 * the stack from the project's own manifests, evicting (and killing) pods that serve the load.
 * Each run is minutes long, so this is a nightly suite (npm run test:gameday), not `npm test`.
 */
describe("game days on the real node through slo-harness run (existing provider)", () => {
  const out = mkdtempSync(path.join(tmpdir(), "slo-harness-game-day-"));
  let cp: ControlPlane;
  let stack: StackOnNode;
  let alertReceiver: string;
  let harnessMetrics: string;

  const run = async (experiment: string, faultWith: Record<string, Record<string, unknown>> = {}, label = experiment): Promise<GameDay> => {
    const dir = path.join(out, label);
    mkdirSync(dir, { recursive: true });
    const file = writeExistingCopy(experiment, { kubeconfig: cp.kubeconfigPath, urls: stack.urls, alertReceiver, harnessMetrics }, dir, faultWith);
    const started = Date.now();
    const { code, stderr } = await runCli(["run", file, "--out", dir, "--quiet", "--chaos-namespace", "genomics"]).result;
    let report: Report;
    try {
      report = ReportSchema.parse(JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")));
    } catch (err) {
      throw new Error(`${label}: no report (exit ${code}): ${stderr.split("\n").slice(-10).join("\n")}`, { cause: err });
    }
    const day = { code, report, seconds: (Date.now() - started) / 1000 };
    process.stderr.write(`${figures(label, day)}\n`);
    return day;
  };

  beforeAll(async () => {
    cp = await startControlPlane({ kwok: false });
    // The receiver runs with the harness, on the node's bridge address: Alertmanager's pod reaches it there.
    alertReceiver = `${NODE.gateway}:${await freePort()}`;
    // The harness serves its own metrics there during each run (env.options.harnessMetrics); the stack scrapes them.
    harnessMetrics = `${NODE.gateway}:${await freePort()}`;
    const started = Date.now();
    stack = await startStackOnNode(cp, { webhookUrl: `http://${alertReceiver}/alerts`, harnessMetrics });
    process.stderr.write(
      `stack on the real node in ${((Date.now() - started) / 1000).toFixed(1)} s (node ${stack.timings.nodeMs} ms, manifests ${stack.timings.installMs} ms)\n`,
    );
  }, 900_000);

  afterAll(async () => {
    await stack?.stop();
    await cp?.stop();
  }, 180_000);

  it("should pass the pod-eviction game day: one of 3 pods evicted under load, the PDB held, kubelet's events found, users saw no error spike", async () => {
    const day = await run("pod-eviction");
    expect({ code: day.code, verdict: day.report.verdict }).toEqual({ code: 0, verdict: "pass" });
    expect(day.report.faults[0]!.evidence).toMatch(
      /^evicted genomics-api-\S+ \(app=genomics-api in genomics\) through the Eviction API; 3 pods Ready again \d+ ms later/,
    );
    const ids = day.report.expectations.filter((e) => e.verdict === "pass").map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining(["kubelet-stops-the-evicted-pod", "kubelet-starts-the-replacement", "users-see-no-error-spike"]));
    // The deployment's Prometheus saw when the harness's fault was active: dashboards can annotate it.
    const marked = await new PrometheusClient(stack.urls.prometheus).query(
      `max_over_time(slo_harness_fault_active{job="slo-harness", fault="api-pod-evicted", experiment="pod-eviction"}[15m])`,
    );
    expect(marked.map((s) => s.value)).toEqual([1]);
  });

  it("should fail when the PDB is gone and every replica is evicted at once, naming the users' error spike (the seeded defect)", async () => {
    const policy = stack.kc.makeApiClient(PolicyV1Api);
    await policy.deleteNamespacedPodDisruptionBudget({ name: "genomics-api", namespace: "genomics" });
    try {
      const day = await run("pod-eviction", { "api-pod-evicted": { selector: "app=genomics-api", percent: 100, waitReady: "90s" } }, "pod-eviction-defect");
      expect({ code: day.code, verdict: day.report.verdict }).toEqual({ code: 1, verdict: "fail" });
      const spike = day.report.expectations.find((e) => e.id === "users-see-no-error-spike")!;
      expect(spike.verdict).toBe("fail");
      expect(spike.evidence.map((e) => e.result).join("\n")).toMatch(
        /^error_ratio (0\.\d+|1) over the 30\.0 s to \S+ \(\d+ answers\); error_ratio ranged 0\.\.(0\.\d+|1) /,
      );
      // The requests that failed never reached a pod, so the server counted none of them.
      expect(day.report.load!.errors).toBeGreaterThan(0);
      expect(day.report.slos[0]!.server.errorRatio).toBe(0);
    } finally {
      // Put the budget back as the manifest has it, for the runs after this one.
      await applyObjects(
        stack.kc,
        localTargetObjects(stack.kube, stack.images).filter((o) => o.kind === "PodDisruptionBudget"),
        "the reference target's kubernetes.yaml",
      );
    }
  });

  it("should pass the container-kill game day: kubelet restarts the container in place and records Started", async () => {
    const day = await run("container-kill");
    expect({ code: day.code, verdict: day.report.verdict }).toEqual({ code: 0, verdict: "pass" });
    expect(day.report.faults[0]!.evidence).toMatch(/restarted in place by kubelet \(restartCount 0 → 1\)/);
  });
});

/** The figures the issue asks for: merged against asked rate, start skew, the merge's memory, and each runner's count. */
function distributedFigures(label: string, requests: number, rps: number, d: DistributedFigures): string {
  return [
    `${label}: ${d.runners} runners, merged ${requests} requests at ${rps.toFixed(2)}/s for ${d.askedRps.toFixed(2)}/s asked (${((rps / d.askedRps) * 100).toFixed(1)} %), start skew ${d.startSkewMs ?? "n/a"} ms`,
    `  merge memory: heap ${d.mergeMemoryMb.heapBefore} MiB before, peak ${d.mergeMemoryMb.heapPeak} MiB; RSS peak ${d.mergeMemoryMb.rssPeak} MiB`,
    ...d.perRunner.map(
      (r) => `  runner ${r.index}: ${r.state}, ${r.requests} of ${r.expectedRequests} expected, ${r.errors} errors${r.reason ? ` (${r.reason})` : ""}`,
    ),
  ].join("\n");
}

describe("distributed load as an Indexed Job on the real node", () => {
  const service = { namespace: "genomics", name: "genomics-api", port: 8000 };
  let cp: ControlPlane;
  let stack: StackOnNode;
  let runnerImage: string;
  let alertReceiver: string;

  beforeAll(async () => {
    cp = await startControlPlane({ kwok: false });
    runnerImage = await buildLoadRunnerImage();
    alertReceiver = `${NODE.gateway}:${await freePort()}`;
    const started = Date.now();
    stack = await startStackOnNode(cp, { webhookUrl: `http://${alertReceiver}/alerts`, extraImages: [runnerImage] });
    process.stderr.write(`stack on the real node with the load runner's image in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }, 900_000);

  afterAll(async () => {
    await stack?.stop();
    await cp?.stop();
  }, 180_000);

  const jobsLeft = async () => (await stack.kc.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: "genomics", labelSelector: RUNNER_LABEL })).items;
  const plan = (rate: string, duration: string) => planLoad(loadModel(LoadSpec.parse({ scenario: "steady", rate, duration })));

  it("should report a runner that dies with its share, keep the others' load, and still delete the Job", async () => {
    const load = new DistributedLoad(plan("15/s", "30s"), { kc: stack.kc, service, runners: 3, image: runnerImage, startDelayMs: 15_000 });
    const running = load.run();
    const core = stack.kc.makeApiClient(CoreV1Api);
    // Runner 1 killed ten seconds into the load, as an OOM kill or an eviction would end it.
    await new Promise((resolve) => setTimeout(resolve, load.startAt.getTime() - Date.now() + 10_000));
    const pods = await core.listNamespacedPod({ namespace: "genomics", labelSelector: RUNNER_LABEL });
    const victim = pods.items.find((p) => p.metadata?.annotations?.["batch.kubernetes.io/job-completion-index"] === "1")!;
    await core.deleteNamespacedPod({ name: victim.metadata!.name!, namespace: "genomics", gracePeriodSeconds: 0 });
    const collector = await running;
    const d = load.figures();
    const merged = collector.result("steady", "distributed");
    process.stderr.write(`${distributedFigures("runner 1 killed at 10 s", merged.requests, merged.rps, d)}\n`);
    expect(d.perRunner.map((r) => r.state)).toEqual(["completed", "failed", "completed"]);
    const dead = d.perRunner[1]!;
    expect(dead.requests).toBeLessThan(dead.expectedRequests * 0.6);
    expect(dead.reason).toMatch(/^its pod is gone \(deleted or evicted\)/);
    expect(collector.totals().requests).toBe(d.perRunner.reduce((sum, r) => sum + r.requests, 0));
    expect(await jobsLeft()).toEqual([]);
  }, 180_000);

  it("should delete the Job when the run is aborted, as on SIGINT", async () => {
    const abort = new AbortController();
    const load = new DistributedLoad(plan("10/s", "60s"), {
      kc: stack.kc,
      service,
      runners: 2,
      image: runnerImage,
      startDelayMs: 10_000,
      signal: abort.signal,
    });
    const running = load.run();
    setTimeout(() => abort.abort(), 15_000);
    await running;
    expect(load.figures().perRunner.map((r) => r.reason)).toEqual(["the run was interrupted", "the run was interrupted"]);
    expect(await jobsLeft()).toEqual([]);
  }, 120_000);

  it("should pass the pod-eviction game day with the load from 3 runner pods, the report saying so", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-distributed-eviction-"));
    const file = writeExistingCopy("pod-eviction", { kubeconfig: cp.kubeconfigPath, urls: stack.urls, alertReceiver }, dir);
    const started = Date.now();
    const { code, stderr } = await runCli([
      "run",
      file,
      "--out",
      dir,
      "--quiet",
      "--chaos-namespace",
      "genomics",
      "--distributed-load",
      "3",
      "--load-runner-image",
      runnerImage,
    ]).result;
    let report: Report;
    try {
      report = ReportSchema.parse(JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")));
    } catch (err) {
      throw new Error(`no report (exit ${code}): ${stderr.split("\n").slice(-10).join("\n")}`, { cause: err });
    }
    const day = { code, report, seconds: (Date.now() - started) / 1000 };
    process.stderr.write(`${figures("pod-eviction, distributed load", day)}\n`);
    process.stderr.write(`${distributedFigures("pod-eviction", report.load!.requests, report.load!.rps, report.load!.distributed!)}\n`);
    expect(report.load!.mode).toBe("distributed");
    expect(report.summary).toContain("The load came from 3 runner pods of Job genomics/slo-harness-load-");
    expect(report.load!.requests).toBe(report.load!.distributed!.perRunner.reduce((sum, r) => sum + r.requests, 0));
    expect({ code, verdict: report.verdict }).toEqual({ code: 0, verdict: "pass" });
    expect(await jobsLeft()).toEqual([]);
  }, 900_000);
});
