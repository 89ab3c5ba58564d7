import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from "@kubernetes/client-node";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Cordons the node and deletes its pods through the API with a short grace period, then waits
 * until the kubelet has confirmed each gone: it stops the containers and tears down each pod's
 * network (CNI DEL) and volumes itself, which is cleaner than any sweep after it. Gives up quietly
 * after the timeout; the sweep that follows removes what is left.
 */
export async function drainNode(kc: KubeConfig, nodeName: string, timeoutMs = 60_000): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  try {
    await core.patchNode({ name: nodeName, body: { spec: { unschedulable: true } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    const onNode = async () => (await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${nodeName}` })).items;
    for (const pod of await onNode()) {
      await core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, gracePeriodSeconds: 1 }).catch(() => undefined);
    }
    const deadline = Date.now() + timeoutMs;
    while ((await onNode()).length && Date.now() < deadline) await sleep(500);
  } catch {
    // The API server may be gone already; the sweep does the rest.
  }
}
