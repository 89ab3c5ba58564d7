import { CoreV1Api, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { apiMessage, apiStatus } from "../../core/kube-config.js";

export interface PodState {
  name: string;
  ready: boolean;
  terminating: boolean;
  phase: string;
  node: string;
}

export type EvictionOutcome = { pod: string; evicted: true } | { pod: string; evicted: false; refusal: string };

function state(pod: V1Pod): PodState {
  return {
    name: pod.metadata?.name ?? "",
    ready: pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
    terminating: Boolean(pod.metadata?.deletionTimestamp),
    phase: pod.status?.phase ?? "Unknown",
    node: pod.spec?.nodeName ?? "",
  };
}

/** The pods a fault may touch, read and evicted through one namespace's API. */
export class NamespacePods {
  private readonly core: CoreV1Api;

  constructor(
    kubeConfig: KubeConfig,
    readonly namespace: string,
    readonly selector: string,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  async list(): Promise<PodState[]> {
    try {
      const pods = await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: this.selector });
      return pods.items.map(state);
    } catch (err) {
      throw new Error(`listing pods ${this.selector} in namespace ${this.namespace} failed: ${apiMessage(err)}`, { cause: err });
    }
  }

  /**
   * Asks the Eviction API, which honours PodDisruptionBudgets: a 429 is the budget saying no,
   * an outcome to report, not an error. Anything else is.
   */
  async evict(pod: string, gracePeriodSeconds?: number): Promise<EvictionOutcome> {
    try {
      await this.core.createNamespacedPodEviction({
        name: pod,
        namespace: this.namespace,
        body: {
          apiVersion: "policy/v1",
          kind: "Eviction",
          metadata: { name: pod, namespace: this.namespace },
          ...(gracePeriodSeconds !== undefined ? { deleteOptions: { gracePeriodSeconds } } : {}),
        },
      });
      return { pod, evicted: true };
    } catch (err) {
      if (apiStatus(err) === 429) return { pod, evicted: false, refusal: apiMessage(err) };
      throw new Error(`evicting pod ${this.namespace}/${pod} failed: ${apiMessage(err)}`, { cause: err });
    }
  }
}
