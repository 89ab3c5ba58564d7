import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { runCli } from "../../test/cli.js";
import { targetUrlRefusal } from "./scale-out.js";

describe("slo-harness scale-out", () => {
  it("should print the script's ConfigMap and the TestRun on --dry-run, touching no cluster", async () => {
    const { code, stdout } = await runCli([
      "scale-out",
      "experiments/smoke.yaml",
      "--target-url",
      "http://genomics-api.genomics.svc:8000",
      "--parallelism",
      "4",
      "--namespace",
      "load",
      "--name",
      "smoke-run",
      "--dry-run",
    ]).result;
    expect(code).toBe(0);
    const [configMap, testRun] = parseAllDocuments(stdout).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string; namespace: string }; data?: Record<string, string>; spec?: unknown },
    );
    expect(configMap).toMatchObject({ kind: "ConfigMap", metadata: { name: "smoke-run", namespace: "load" } });
    expect(configMap!.data!["script.js"]).toContain('const BASE_URL = "http://genomics-api.genomics.svc:8000";');
    expect(configMap!.data!["script.js"]).toContain('"http_req_failed": [\n      "rate<=0.01"\n    ]');
    expect(testRun).toEqual({
      apiVersion: "k6.io/v1alpha1",
      kind: "TestRun",
      metadata: { name: "smoke-run", namespace: "load", labels: { "app.kubernetes.io/managed-by": "slo-harness" } },
      spec: { parallelism: 4, script: { configMap: { name: "smoke-run", file: "script.js" } } },
    });
  });

  it("should hand the runners a secret header's variable from the Secret given, and ask for one when none is", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "scale-out-"));
    const file = path.join(dir, "orders.yaml");
    writeFileSync(
      file,
      "title: orders\nload: { duration: 1m, requests: [{ method: POST, path: /orders, body: { a: 1 }, headers: { Authorization: { env: ORDERS_TOKEN } } }] }\nsteadyState: { before: [api-healthy] }\n",
    );
    const args = ["scale-out", file, "--target-url", "http://orders.shop.svc:8080", "--namespace", "load", "--name", "orders", "--dry-run"];
    const missing = await runCli(args).result;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `${file}: load.requests: headers read ORDERS_TOKEN from the environment; the runners get them from a Secret: create one with those keys (kubectl create secret generic checkout-load -n load --from-literal=ORDERS_TOKEN=…) and pass --secret checkout-load`,
    );
    const { code, stdout } = await runCli([...args, "--secret", "orders-load"]).result;
    expect(code).toBe(0);
    const [, testRun] = parseAllDocuments(stdout).map((d) => d.toJS() as { spec: { runner?: unknown } });
    expect(testRun!.spec.runner).toEqual({ env: [{ name: "ORDERS_TOKEN", valueFrom: { secretKeyRef: { name: "orders-load", key: "ORDERS_TOKEN" } } }] });
  });

  it("should exit 2 for an experiment without load and for a target that is not a URL", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "scale-out-"));
    const file = path.join(dir, "no-load.yaml");
    writeFileSync(file, "title: nothing to scale\nsteadyState: { before: [api-healthy] }\n");
    const noLoad = await runCli(["scale-out", file, "--target-url", "http://api:8000"]).result;
    expect(noLoad.code).toBe(2);
    expect(noLoad.stderr).toBe(`slo-harness: ${file}: load: the experiment has no load section to scale out\n`);
    const shaped = path.join(dir, "shaped.yaml");
    writeFileSync(
      shaped,
      "title: orders\nload: { duration: 1m, requests: [{ method: POST, path: /orders, body: { file: order.json } }] }\nsteadyState: { before: [api-healthy] }\n",
    );
    const refused = await runCli(["scale-out", shaped, "--target-url", "http://api:8000", "--dry-run"]).result;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`shaped.yaml: load.requests[0].body.file: cannot read ${path.join(dir, "order.json")} (ENOENT)`);
    const badUrl = await runCli(["scale-out", "experiments/smoke.yaml", "--target-url", "genomics-api:8000"]).result;
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('--target-url: expected an http(s) URL like http://checkout-api.shop.svc:8080, got "genomics-api:8000"');
  });

  it("should keep the runners' load inside the cluster: its Services or loopback, never an outside host or address", async () => {
    for (const url of [
      "http://genomics-api:8000",
      "http://genomics-api.genomics:8000",
      "https://genomics-api.genomics.svc.cluster.local",
      "http://127.0.0.1:8000",
    ]) {
      expect([url, targetUrlRefusal(url)]).toEqual([url, undefined]);
    }
    for (const url of ["https://api.example.com", "http://10.0.0.7:8000", "http://8.8.8.8", "http://[2001:db8::1]:80", "ftp://genomics-api"]) {
      expect([url, targetUrlRefusal(url)]).toEqual([url, expect.any(String)]);
    }
    const outside = await runCli(["scale-out", "experiments/smoke.yaml", "--target-url", "https://api.example.com", "--dry-run"]).result;
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("--target-url: api.example.com is not a Service of the cluster; the runners may load only the cluster's own Services");
  });

  it("should refuse a kubeconfig context that looks like production", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "scale-out-"));
    const kubeconfig = path.join(dir, "config");
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        "current-context": "eu-prod",
        clusters: [{ name: "eu", cluster: { server: "https://127.0.0.1:1" } }],
        users: [{ name: "me", user: { token: "x" } }],
        contexts: [{ name: "eu-prod", context: { cluster: "eu", user: "me" } }],
      }),
    );
    const { code, stderr } = await runCli(["scale-out", "experiments/smoke.yaml", "--target-url", "http://api:8000", "--kubeconfig", kubeconfig]).result;
    expect(code).toBe(2);
    expect(stderr).toContain('kubeconfig context "eu-prod" (cluster "eu") matches the protected pattern "*prod*"');
  });
});
