import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { TargetSpec, type TargetModel } from "../../core/target-spec.js";
import { referenceTarget } from "../shared/reference-target.js";
import { kubeTarget } from "./kube-target.js";

describe("kubeTarget", () => {
  let dir: string;
  const target = (kubernetes: Record<string, unknown>): TargetModel => ({
    ...TargetSpec.parse({ name: "orders-api", kubernetes }),
    dir,
    source: "orders/target.yaml",
  });
  const manifest = (text: string) => writeFileSync(path.join(dir, "k8s.yaml"), text);

  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "kube-target-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("should read the reference target's manifests with its Service, Deployment, what to wait for and its database", () => {
    const kube = kubeTarget(referenceTarget());
    expect(kube).toMatchObject({
      name: "genomics-api",
      namespace: "genomics",
      service: "genomics-api",
      deployment: "genomics-api",
      port: 8000,
      portName: "http",
      image: "slo-harness/genomics-api:dev",
      waitFor: { deployments: ["postgres", "genomics-api"], jobs: ["genomics-seed"] },
      postgres: { service: "postgres", port: 5432, database: "genomics", role: "genomics" },
    });
  });

  it("should name every object outside the target's namespace, and a missing Service or Deployment", () => {
    manifest(
      [
        "apiVersion: v1\nkind: Service\nmetadata: { name: orders-api, namespace: shop }\nspec: { ports: [{ port: 80 }] }",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: default }",
      ].join("\n---\n"),
    );
    expect(() => kubeTarget(target({ manifests: ["k8s.yaml"], namespace: "shop", port: 8080 }))).toThrow(
      "orders/target.yaml: kubernetes.manifests: ConfigMap settings is in namespace default, not shop; Service orders-api has no port 8080 (kubernetes.port); no Deployment orders-api (kubernetes.deployment)",
    );
  });

  it("should say which manifest file is missing, relative to the target's folder", () => {
    expect(() => kubeTarget(target({ manifests: ["nope.yaml"], namespace: "shop", port: 8080 }))).toThrow(
      `orders/target.yaml: kubernetes.manifests[0]: no file at ${path.join(dir, "nope.yaml")}; paths are relative to ${dir}`,
    );
  });
});
