import { PassThrough } from "node:stream";
import { createInterface } from "node:readline";
import { Log, type KubeConfig } from "@kubernetes/client-node";

/**
 * Follows one runner pod's log until the pod is over, handing each line on once. The API server
 * can close a followed log early, so after a reconnect the lines already handed on are skipped by
 * count (a runner's log stays far below kubelet's rotation size). The caller aborts `signal` when
 * it gives up (interrupted, or the pod ended long ago and the read still hangs).
 */
export async function followRunnerLog(
  kc: KubeConfig,
  pod: { namespace: string; name: string },
  onLine: (line: string) => void,
  opts: { stillRunning: () => Promise<boolean>; signal: AbortSignal },
): Promise<void> {
  const logs = new Log(kc);
  let handed = 0;
  while (!opts.signal.aborted) {
    // A read that began once the pod was over returns its whole log: that one is the last.
    const running = await opts.stillRunning();
    const stream = new PassThrough();
    const close = () => stream.end();
    opts.signal.addEventListener("abort", close, { once: true });
    let seen = 0;
    let request: AbortController | undefined;
    try {
      request = await logs.log(pod.namespace, pod.name, "runner", stream, { follow: true });
      stream.on("error", close);
      for await (const line of createInterface({ input: stream })) {
        if (seen++ < handed) continue;
        handed++;
        onLine(line);
      }
    } catch (err) {
      if (!running) throw new Error(`following the log of runner pod ${pod.namespace}/${pod.name}: ${(err as Error).message}`, { cause: err });
    } finally {
      request?.abort();
      opts.signal.removeEventListener("abort", close);
    }
    if (!running) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
