import { localTargetObjects } from "./local-target-manifest.js";

const images = { target: "slo-harness/target:abc", postgres: "slo-harness/postgres:def" };

interface Pod {
  containers: Array<{ name: string; image: string; imagePullPolicy?: string; env?: Array<{ name: string; value?: string }> }>;
  initContainers?: Array<{ image: string; imagePullPolicy?: string }>;
}
type Owner = { kind: string; metadata: { name: string }; spec: { replicas?: number; template: { spec: Pod } } };

describe("localTargetObjects", () => {
  it("should run every container from a locally built image, never pulled", () => {
    const owners = localTargetObjects(images).filter((o) => o.kind === "Deployment" || o.kind === "Job") as unknown as Owner[];
    const containers = owners.flatMap((o) => [...o.spec.template.spec.containers, ...(o.spec.template.spec.initContainers ?? [])]);
    expect(new Set(containers.map((c) => c.image))).toEqual(new Set([images.target, images.postgres]));
    expect(containers.every((c) => c.imagePullPolicy === "Never")).toBe(true);
  });

  it("should set the API's replicas and environment when asked", () => {
    const api = localTargetObjects(images, { replicas: 3, env: { WORKERS: "2", OTEL_SDK_DISABLED: "true" } }).find(
      (o) => o.kind === "Deployment" && o.metadata?.name === "genomics-api",
    ) as unknown as Owner;
    expect(api.spec.replicas).toBe(3);
    const env = api.spec.template.spec.containers[0]!.env!;
    expect(env.find((e) => e.name === "WORKERS")?.value).toBe("2");
    expect(env.find((e) => e.name === "OTEL_SDK_DISABLED")?.value).toBe("true");
  });

  it("should leave the ServiceMonitor out where its CRD is not installed, and keep it by default", () => {
    expect(localTargetObjects(images, { serviceMonitor: false }).some((o) => o.kind === "ServiceMonitor")).toBe(false);
    expect(localTargetObjects(images).some((o) => o.kind === "ServiceMonitor")).toBe(true);
  });
});
