import { kubeTarget } from "./kube-target.js";
import { localTargetObjects } from "./local-target-manifest.js";
import { referenceTarget } from "../shared/reference-target.js";

const images = { postgres: "slo-harness/postgres:def" };
const kube = kubeTarget(referenceTarget());

interface Pod {
  containers: Array<{ name: string; image: string; imagePullPolicy?: string; env?: Array<{ name: string; value?: string }> }>;
  initContainers?: Array<{ image: string; imagePullPolicy?: string }>;
}
type Owner = { kind: string; metadata: { name: string }; spec: { replicas?: number; template: { spec: Pod } } };

describe("localTargetObjects", () => {
  it("should run every container from the target's own image or one built here, never pulled", () => {
    const owners = localTargetObjects(kube, images).filter((o) => o.kind === "Deployment" || o.kind === "Job") as unknown as Owner[];
    const containers = owners.flatMap((o) => [...o.spec.template.spec.containers, ...(o.spec.template.spec.initContainers ?? [])]);
    expect(new Set(containers.map((c) => c.image))).toEqual(new Set([kube.image, images.postgres]));
    expect(containers.every((c) => c.imagePullPolicy === "Never")).toBe(true);
  });

  it("should set the target Deployment's replicas and environment when asked", () => {
    const api = localTargetObjects(kube, images, { replicas: 3, env: { WORKERS: "2", OTEL_SDK_DISABLED: "true" } }).find(
      (o) => o.kind === "Deployment" && o.metadata?.name === kube.deployment,
    ) as unknown as Owner;
    expect(api.spec.replicas).toBe(3);
    const env = api.spec.template.spec.containers[0]!.env!;
    expect(env.find((e) => e.name === "WORKERS")?.value).toBe("2");
    expect(env.find((e) => e.name === "OTEL_SDK_DISABLED")?.value).toBe("true");
  });

  it("should leave the ServiceMonitor out where its CRD is not installed, and keep it by default", () => {
    expect(localTargetObjects(kube, images, { serviceMonitor: false }).some((o) => o.kind === "ServiceMonitor")).toBe(false);
    expect(localTargetObjects(kube, images).some((o) => o.kind === "ServiceMonitor")).toBe(true);
  });

  it("should run the target's image under the content-named tag it is given", () => {
    const owners = localTargetObjects(kube, { ...images, target: "slo-harness/target:abc" }).filter((o) => o.kind === "Job") as unknown as Owner[];
    expect(owners[0]!.spec.template.spec.containers[0]!.image).toBe("slo-harness/target:abc");
  });

  it("should name the manifest, the container and the images it knows when one runs an image the node will not have", () => {
    const other = { ...kube, image: "orders-api:dev" };
    expect(() => localTargetObjects(other, images)).toThrow(
      /kubernetes\.yaml: Job genomics-seed container seed runs slo-harness\/genomics-api:dev, which is neither the target's kubernetes\.image nor one built here \(known: postgres:15-bookworm, orders-api:dev\)/,
    );
  });
});
