import { PassThrough } from "node:stream";
import type { KubeConfig, V1Status } from "@kubernetes/client-node";
import { apiMessage } from "../../core/kube-config.js";

export interface ExecResult {
  /** "Success", "Failure", or "closed" when the stream ended without a status (the container went away). */
  status: string;
  message: string;
  output: string;
}

/**
 * Runs a command in a pod's container through the API server's exec subresource (as
 * `kubectl exec` does) and waits for it to end, at most `timeoutMs`. A container that dies of the
 * command may close the stream without a status; that is reported, not thrown.
 */
export async function execInContainer(
  kc: KubeConfig,
  target: { namespace: string; pod: string; container: string },
  command: string[],
  timeoutMs = 15_000,
): Promise<ExecResult> {
  // Imported on use: the Kubernetes client costs every command ~0.6 s at startup.
  const { Exec } = await import("@kubernetes/client-node");
  const out = new PassThrough();
  let output = "";
  out.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
  return new Promise<ExecResult>((resolve, reject) => {
    let status: V1Status | undefined;
    const timer = setTimeout(
      () => reject(new Error(`exec ${command.join(" ")} in ${target.namespace}/${target.pod} (${target.container}) did not end within ${timeoutMs} ms`)),
      timeoutMs,
    );
    new Exec(kc)
      .exec(target.namespace, target.pod, target.container, command, out, out, null, false, (s) => (status = s))
      .then((ws) => {
        ws.on("close", () => {
          clearTimeout(timer);
          resolve({ status: status?.status ?? "closed", message: status?.message ?? "", output });
        });
      })
      .catch((err: unknown) => {
        clearTimeout(timer);
        reject(new Error(`exec in ${target.namespace}/${target.pod} (${target.container}) failed: ${apiMessage(err)}`, { cause: err }));
      });
  });
}
