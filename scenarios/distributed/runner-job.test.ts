import { runnerJob, runnerTargetsConfigMap, serviceUrl } from "./runner-job.js";

const spec = {
  name: "slo-harness-load-abc123",
  namespace: "genomics",
  image: "slo-harness/load-runner:1",
  runners: 3,
  startAtMs: 1_800_000_000_000,
  stages: "steady-1:200/1m:180000:0:110",
  timeoutMs: 30_000,
  baseUrl: "http://genomics-api.genomics.svc.cluster.local:8000",
  hostAliases: [{ ip: "10.96.0.20", hostnames: ["genomics-api.genomics.svc.cluster.local"] }],
  activeDeadlineSeconds: 300,
};

describe("serviceUrl", () => {
  it("should name the Service by its cluster DNS name", () => {
    expect(serviceUrl({ namespace: "genomics", name: "genomics-api", port: 8000 })).toBe("http://genomics-api.genomics.svc.cluster.local:8000");
  });

  it("should refuse anything that is not a Kubernetes name, such as an address", () => {
    expect(() => serviceUrl({ namespace: "genomics", name: "10.0.0.1", port: 80 })).toThrow(
      'distributed load: target service "10.0.0.1" is not a Kubernetes name; runners only send to a Service in the cluster, by its DNS name',
    );
  });
});

describe("runnerJob", () => {
  it("should be an Indexed Job of N pods, none retried, none stopping the others, bounded in time", () => {
    const job = runnerJob(spec);
    expect(job.spec).toMatchObject({
      completionMode: "Indexed",
      completions: 3,
      parallelism: 3,
      backoffLimitPerIndex: 0,
      maxFailedIndexes: 3,
      activeDeadlineSeconds: 300,
      ttlSecondsAfterFinished: 300,
    });
    const pod = job.spec!.template.spec!;
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.hostAliases).toEqual(spec.hostAliases);
    expect(Object.fromEntries(pod.containers[0]!.env!.map((e) => [e.name, e.value]))).toEqual({
      START_AT_MS: "1800000000000",
      STAGES: spec.stages,
      TIMEOUT_MS: "30000",
      RUNNERS: "3",
      TARGETS: "/targets/targets.jsonl",
    });
  });

  it("should refuse a base URL that is not an in-cluster Service name", () => {
    expect(() => runnerJob({ ...spec, baseUrl: "http://example.com:80" })).toThrow(
      "distributed load: http://example.com:80 is not a Service's in-cluster name (http://NAME.NAMESPACE.svc.cluster.local:PORT); runners send nowhere else",
    );
  });

  it("should make the targets ConfigMap owned by the Job, so the Job's deletion takes it along", () => {
    const job = { ...runnerJob(spec), metadata: { ...runnerJob(spec).metadata, uid: "u-1" } };
    expect(runnerTargetsConfigMap(job, "x\n").metadata!.ownerReferences).toEqual([
      { apiVersion: "batch/v1", kind: "Job", name: spec.name, uid: "u-1", blockOwnerDeletion: false },
    ]);
  });
});
