import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { LocalEnvironment } from "../../env/local/index.js";
import type { StartedLocalEnvironment } from "../../env/local/started-local-environment.js";
import { ReportSchema, type Report } from "../../core/report-schema.js";
import { runCli, type CliResult } from "../cli.js";
import { eventually } from "../eventually.js";
import { startControlPlane, type ControlPlane } from "./control-plane.js";

const labels = { app: "genomics-api" };

/**
 * A whole game day through `slo-harness run` on the existing provider: the API and its monitoring
 * are a running local stack, the cluster is a real API server with KWOK nodes running the API's
 * Deployment. A pod is evicted mid-run; the cluster's event, the error ratio and the page are checked.
 */
describe("slo-harness run on an existing deployment with a pod eviction", () => {
  const out = mkdtempSync(path.join(tmpdir(), "slo-harness-existing-run-"));
  let cp: ControlPlane;
  let stack: StartedLocalEnvironment;
  let result: CliResult;
  let report: Report;

  beforeAll(async () => {
    [cp, stack] = await Promise.all([startControlPlane(), new LocalEnvironment().start()]);
    const kc = new KubeConfig();
    kc.loadFromFile(cp.kubeconfigPath);
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: "genomics" } } });
    await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace: "genomics",
      body: {
        metadata: { name: "genomics-api", labels },
        spec: {
          replicas: 3,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: "api", image: "genomics-api:test" }] } },
        },
      },
    });
    await eventually(async () => {
      const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "genomics", labelSelector: "app=genomics-api" });
      if (pods.items.filter((p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length !== 3)
        throw new Error("pods not Ready yet");
    }, 60_000);
    const e = stack.getEndpoints();
    const file = path.join(out, "pod-eviction-existing.yaml");
    writeFileSync(
      file,
      stringify({
        title: "An evicted API pod is replaced and nobody is paged",
        env: {
          provider: "existing",
          options: {
            postgresPassword: "env:SLO_TEST_PGPASSWORD",
            kubeconfig: cp.kubeconfigPath,
            endpoints: {
              prometheus: e.prometheus,
              alertmanager: e.alertmanager,
              jaeger: e.jaeger,
              logs: e.logs,
              logsBackend: "victorialogs",
              collector: e.collector,
              // The stack's superuser password goes in by reference, as an operator's would.
              postgres: withoutPassword(e.postgres),
            },
          },
        },
        // The API's address comes from the target, as a team's own service's would.
        target: { name: "analysis-api", url: e.api },
        allowlist: ["genomics"],
        load: { scenario: "steady", rate: "10/s", duration: "40s" },
        steadyState: { before: ["api-healthy", "targets-up"], after: ["api-healthy"] },
        faults: [
          {
            id: "api-pod-evicted",
            injector: "pod-eviction",
            target: "genomics",
            with: { selector: "app=genomics-api", percent: 50, waitReady: "20s" },
            at: "10s",
            duration: "20s",
          },
        ],
        expectations: [
          {
            id: "replacement-created",
            event: { namespace: "genomics", reason: "SuccessfulCreate", labelSelector: "app=genomics-api" },
            within: "15s of api-pod-evicted.start",
          },
          { id: "error-ratio-stays-low", kind: "stays-absent", metric: "job:genomics_api_error_ratio:rate1m > 0.01", within: "30s of api-pod-evicted.start" },
          { id: "no-page", kind: "stays-absent", alert: { name: "AnalysisAPIErrorBudgetBurn", state: "firing" }, within: "30s of api-pod-evicted.start" },
        ],
      }),
    );
    result = await runCli(["run", file, "--out", out, "--chaos-namespace", "genomics"], { env: { SLO_TEST_PGPASSWORD: new URL(e.postgres).password } }).result;
    report = ReportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")));
  }, 240_000);

  afterAll(async () => {
    await Promise.all([cp?.stop(), stack?.stop()]);
  });

  it("should pass and exit 0 on the existing provider, naming the cluster's version", () => {
    expect({ code: result.code, verdict: report.verdict, stderr: result.code === 0 ? "" : result.stderr }).toEqual({ code: 0, verdict: "pass", stderr: "" });
    expect(report.environment.provider).toBe("existing");
    expect(report.environment.components).toContainEqual({ name: "kubernetes", version: "v1.34.4" });
  });

  it("should evict half the pods (2 of 3) and see them replaced", () => {
    const fault = report.faults[0]!;
    expect(fault.effectVerified).toBe(true);
    expect(fault.evidence).toMatch(
      /^evicted genomics-api-\S+, genomics-api-\S+ \(app=genomics-api in genomics\) through the Eviction API; 3 pods Ready again \d+ ms later, new: genomics-api-[a-z0-9-]+, genomics-api-[a-z0-9-]+$/,
    );
    expect(fault.rolledBackAt).toBeDefined();
  });

  it("should find the ReplicaSet's SuccessfulCreate event within seconds, with evidence", () => {
    const event = report.expectations.find((x) => x.id === "replacement-created")!;
    expect(event).toMatchObject({ verdict: "pass", signal: "event" });
    expect(event.detectionLatencySeconds).toBeLessThan(3);
    expect(event.evidence[0]!.result).toMatch(/SuccessfulCreate ReplicaSet genomics\/genomics-api-\w+/);
    expect(report.expectations.map((x) => [x.id, x.verdict])).toEqual([
      ["replacement-created", "pass"],
      ["error-ratio-stays-low", "pass"],
      ["no-page", "pass"],
    ]);
  });
});

function withoutPassword(connection: string): string {
  const url = new URL(connection);
  url.password = "";
  return url.toString();
}
