import { AppsV1Api, CoreV1Api, EventsV1Api, type CoreV1Event, type EventsV1Event, type KubeConfig } from "@kubernetes/client-node";
import { apiMessage, apiStatus } from "../../core/kube-config.js";

/** One Kubernetes Event, whichever API it was read from. */
export interface ClusterEvent {
  uid: string;
  namespace: string;
  reason: string;
  type: string;
  message: string;
  kind: string;
  name: string;
  /** First occurrence, by the reporting component's clock. */
  first: Date;
  /** Latest occurrence: an event repeated later is the same object with a higher count. */
  last: Date;
  count: number;
  reporter: string;
  /** core/v1 timestamps have whole-second resolution; eventTime has microseconds. */
  precise: boolean;
}

export interface EventQuery {
  namespace?: string;
  reason?: string;
  kind?: string;
  name?: string;
}

/** Kinds whose objects a label selector is resolved to, and whose pods are named after them. */
export interface SelectedObjects {
  /** "Kind/name" of every object the selector matches now. */
  objects: Set<string>;
  /** Names whose pods are "<name>-<suffix>": ReplicaSets and StatefulSets, so pods already deleted still match. */
  podOwners: Set<string>;
}

// An unset eventTime can come back as Go's zero time rather than null.
const time = (d: Date | undefined | null): Date | undefined => {
  const t = d ? new Date(d) : undefined;
  return t && t.getUTCFullYear() > 1970 ? t : undefined;
};

/**
 * Reads Events from both core/v1 and events.k8s.io/v1 (the same objects; newer components
 * write only the second with microsecond times, older recorders the first) and merges them by uid.
 */
export class KubernetesEventsClient {
  private readonly core: CoreV1Api;
  private readonly events: EventsV1Api;
  private readonly apps: AppsV1Api;

  constructor(readonly kubeConfig: KubeConfig) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.events = kubeConfig.makeApiClient(EventsV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
  }

  get server(): string {
    return this.kubeConfig.getCurrentCluster()?.server ?? "unknown server";
  }

  async list(query: EventQuery): Promise<ClusterEvent[]> {
    const core = this.fieldSelector(query, "involvedObject");
    const modern = this.fieldSelector(query, "regarding");
    const [legacy, current] = await Promise.all([
      this.call("core/v1 events", () =>
        query.namespace
          ? this.core.listNamespacedEvent({ namespace: query.namespace, ...(core ? { fieldSelector: core } : {}) })
          : this.core.listEventForAllNamespaces(core ? { fieldSelector: core } : {}),
      ),
      this.call("events.k8s.io/v1 events", () =>
        query.namespace
          ? this.events.listNamespacedEvent({ namespace: query.namespace, ...(modern ? { fieldSelector: modern } : {}) })
          : this.events.listEventForAllNamespaces(modern ? { fieldSelector: modern } : {}),
      ),
    ]);
    const merged = new Map<string, ClusterEvent>();
    for (const e of current.items) merged.set(e.metadata?.uid ?? "", fromEventsV1(e));
    // Where both carry one object, core/v1's view adds nothing but may lack eventTime's precision.
    for (const e of legacy.items) if (!merged.has(e.metadata.uid ?? "")) merged.set(e.metadata.uid ?? "", fromCoreV1(e));
    return [...merged.values()];
  }

  async select(namespace: string | undefined, labelSelector: string): Promise<SelectedObjects> {
    const args = { labelSelector };
    const [pods, replicaSets, deployments, statefulSets] = await Promise.all([
      this.call(`pods matching ${labelSelector}`, () =>
        namespace ? this.core.listNamespacedPod({ namespace, ...args }) : this.core.listPodForAllNamespaces(args),
      ),
      this.call(`replicasets matching ${labelSelector}`, () =>
        namespace ? this.apps.listNamespacedReplicaSet({ namespace, ...args }) : this.apps.listReplicaSetForAllNamespaces(args),
      ),
      this.call(`deployments matching ${labelSelector}`, () =>
        namespace ? this.apps.listNamespacedDeployment({ namespace, ...args }) : this.apps.listDeploymentForAllNamespaces(args),
      ),
      this.call(`statefulsets matching ${labelSelector}`, () =>
        namespace ? this.apps.listNamespacedStatefulSet({ namespace, ...args }) : this.apps.listStatefulSetForAllNamespaces(args),
      ),
    ]);
    const objects = new Set<string>();
    const podOwners = new Set<string>();
    for (const p of pods.items) objects.add(`Pod/${p.metadata?.name}`);
    for (const d of deployments.items) objects.add(`Deployment/${d.metadata?.name}`);
    for (const r of replicaSets.items) {
      objects.add(`ReplicaSet/${r.metadata?.name}`);
      podOwners.add(r.metadata?.name ?? "");
    }
    for (const s of statefulSets.items) {
      objects.add(`StatefulSet/${s.metadata?.name}`);
      podOwners.add(s.metadata?.name ?? "");
    }
    podOwners.delete("");
    return { objects, podOwners };
  }

  private fieldSelector(query: EventQuery, ref: "involvedObject" | "regarding"): string | undefined {
    const parts = [
      query.reason ? `reason=${query.reason}` : "",
      query.kind ? `${ref}.kind=${query.kind}` : "",
      query.name ? `${ref}.name=${query.name}` : "",
    ].filter(Boolean);
    return parts.length ? parts.join(",") : undefined;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const status = apiStatus(err);
      const hint = status === 401 || status === 403 ? "; the kubeconfig's user needs list on events, pods, replicasets, deployments and statefulsets" : "";
      throw new Error(`listing ${what} from ${this.server} failed: ${apiMessage(err)}${hint}`, { cause: err });
    }
  }
}

function fromCoreV1(e: CoreV1Event): ClusterEvent {
  const eventTime = time(e.eventTime);
  const first = eventTime ?? time(e.firstTimestamp) ?? time(e.metadata.creationTimestamp) ?? new Date(0);
  return {
    uid: e.metadata.uid ?? "",
    namespace: e.involvedObject.namespace ?? e.metadata.namespace ?? "",
    reason: e.reason ?? "",
    type: e.type ?? "",
    message: e.message ?? "",
    kind: e.involvedObject.kind ?? "",
    name: e.involvedObject.name ?? "",
    first,
    last: time(e.series?.lastObservedTime) ?? time(e.lastTimestamp) ?? first,
    count: e.series?.count ?? e.count ?? 1,
    reporter: e.reportingComponent || e.source?.component || "unknown",
    precise: eventTime !== undefined,
  };
}

function fromEventsV1(e: EventsV1Event): ClusterEvent {
  const eventTime = time(e.eventTime);
  const first = eventTime ?? time(e.deprecatedFirstTimestamp) ?? time(e.metadata?.creationTimestamp) ?? new Date(0);
  return {
    uid: e.metadata?.uid ?? "",
    namespace: e.regarding?.namespace ?? e.metadata?.namespace ?? "",
    reason: e.reason ?? "",
    type: e.type ?? "",
    message: e.note ?? "",
    kind: e.regarding?.kind ?? "",
    name: e.regarding?.name ?? "",
    first,
    last: time(e.series?.lastObservedTime) ?? time(e.deprecatedLastTimestamp) ?? first,
    count: e.series?.count ?? e.deprecatedCount ?? 1,
    reporter: e.reportingController || e.deprecatedSource?.component || "unknown",
    precise: eventTime !== undefined,
  };
}
