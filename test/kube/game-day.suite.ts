import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PolicyV1Api } from "@kubernetes/client-node";
import { applyObjects } from "../../env/kind/kind-manifests.js";
import { localTargetObjects } from "../../env/kind/local-target-manifest.js";
import { freePort } from "../../env/shared/free-port.js";
import { ReportSchema, type Report } from "../../core/report-schema.js";
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

  const run = async (experiment: string, faultWith: Record<string, Record<string, unknown>> = {}, label = experiment): Promise<GameDay> => {
    const dir = path.join(out, label);
    mkdirSync(dir, { recursive: true });
    const file = writeExistingCopy(experiment, { kubeconfig: cp.kubeconfigPath, urls: stack.urls, alertReceiver }, dir, faultWith);
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
    const started = Date.now();
    stack = await startStackOnNode(cp, { webhookUrl: `http://${alertReceiver}/alerts` });
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
