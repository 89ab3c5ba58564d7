import type { V1ConfigMap, V1HostAlias, V1Job } from "@kubernetes/client-node";

/** The Service the runners send to: the only place distributed load may go. */
export interface InClusterService {
  namespace: string;
  name: string;
  port: number;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The runners' base URL: the Service's cluster DNS name, never an address the harness was handed. */
export function serviceUrl(service: InClusterService): string {
  for (const [field, value] of [
    ["namespace", service.namespace],
    ["service", service.name],
  ] as const) {
    if (!DNS_LABEL.test(value) || value.length > 63)
      throw new Error(`distributed load: target ${field} "${value}" is not a Kubernetes name; runners only send to a Service in the cluster, by its DNS name`);
  }
  if (!Number.isInteger(service.port) || service.port < 1 || service.port > 65535)
    throw new Error(`distributed load: Service ${service.namespace}/${service.name}: port ${service.port} is not a port number`);
  return `http://${service.name}.${service.namespace}.svc.cluster.local:${service.port}`;
}

/** Refuses a runner URL that is not an in-cluster Service name: the network rule, checked again where the Job is made. */
export function assertInClusterUrl(url: string): void {
  if (!/^http:\/\/[a-z0-9-]+\.[a-z0-9-]+\.svc\.cluster\.local:\d+$/.test(url))
    throw new Error(`distributed load: ${url} is not a Service's in-cluster name (http://NAME.NAMESPACE.svc.cluster.local:PORT); runners send nowhere else`);
}

export interface RunnerJobSpec {
  name: string;
  namespace: string;
  image: string;
  runners: number;
  startAtMs: number;
  /** From runnerStages(): each runner's share. */
  stages: string;
  timeoutMs: number;
  baseUrl: string;
  /** The Service's name to its ClusterIP, for clusters without DNS (the project's own node); the same answer DNS gives elsewhere. */
  hostAliases: V1HostAlias[];
  /** Kubernetes ends every runner by then even if the harness is gone. */
  activeDeadlineSeconds: number;
}

export const RUNNER_LABEL = "slo-harness.io/load-runner";
const TARGETS_KEY = "targets.jsonl";

/**
 * An Indexed Job of `runners` pods, each its own index's share. A runner that fails is not
 * retried (backoffLimitPerIndex 0: a late second try would send load out of plan) and does not
 * stop the others (maxFailedIndexes: all); the TTL and deadline bound it if the harness dies.
 */
export function runnerJob(spec: RunnerJobSpec): V1Job {
  assertInClusterUrl(spec.baseUrl);
  const labels = { [RUNNER_LABEL]: spec.name };
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      completionMode: "Indexed",
      completions: spec.runners,
      parallelism: spec.runners,
      backoffLimitPerIndex: 0,
      maxFailedIndexes: spec.runners,
      activeDeadlineSeconds: spec.activeDeadlineSeconds,
      ttlSecondsAfterFinished: 300,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: "Never",
          hostAliases: spec.hostAliases,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          containers: [
            {
              name: "runner",
              image: spec.image,
              imagePullPolicy: "IfNotPresent",
              env: [
                { name: "START_AT_MS", value: String(spec.startAtMs) },
                { name: "STAGES", value: spec.stages },
                { name: "TIMEOUT_MS", value: String(spec.timeoutMs) },
                { name: "RUNNERS", value: String(spec.runners) },
                { name: "TARGETS", value: `/targets/${TARGETS_KEY}` },
              ],
              resources: { requests: { cpu: "50m", memory: "32Mi" }, limits: { memory: "256Mi" } },
              volumeMounts: [{ name: "targets", mountPath: "/targets", readOnly: true }],
            },
          ],
          volumes: [{ name: "targets", configMap: { name: spec.name } }],
        },
      },
    },
  };
}

/** The targets file, owned by the Job so that deleting the Job (or its TTL) removes it too. */
export function runnerTargetsConfigMap(job: V1Job, targets: string): V1ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: job.metadata!.name!,
      namespace: job.metadata!.namespace!,
      labels: job.metadata!.labels!,
      ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: job.metadata!.name!, uid: job.metadata!.uid!, blockOwnerDeletion: false }],
    },
    data: { [TARGETS_KEY]: targets },
  };
}
