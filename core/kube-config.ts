import { existsSync } from "node:fs";
import type { ApiException, KubeConfig } from "@kubernetes/client-node";
import type { KubernetesAccess } from "./environment.js";

/**
 * The kubeconfig an access names, switched to its context; errors say which file and context exist.
 * The Kubernetes client is imported here, on first use, not where this module is: it costs ~0.6 s,
 * which every command paid at startup, even `--help`.
 */
export async function loadKubeConfig(access: Pick<KubernetesAccess, "kubeconfig" | "context">): Promise<KubeConfig> {
  if (!existsSync(access.kubeconfig)) {
    throw new Error(`kubeconfig ${access.kubeconfig} does not exist; set env.options.kubeconfig (or KUBECONFIG) to the file kubectl uses for this cluster`);
  }
  const { KubeConfig } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(access.kubeconfig);
  } catch (err) {
    throw new Error(`kubeconfig ${access.kubeconfig} could not be read: ${(err as Error).message}`, { cause: err });
  }
  if (access.context) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(access.context)) {
      throw new Error(
        `kubeconfig ${access.kubeconfig} has no context "${access.context}"; it has ${names.length ? names.map((n) => `"${n}"`).join(", ") : "none"}`,
      );
    }
    kc.setCurrentContext(access.context);
  }
  if (!kc.getCurrentCluster()) throw new Error(`kubeconfig ${access.kubeconfig}: context "${kc.getCurrentContext()}" names no cluster`);
  return kc;
}

/** The status code of a failed API call, or undefined when it never got an answer. */
export function apiStatus(err: unknown): number | undefined {
  return isApiException(err) ? err.code : undefined;
}

/**
 * The client's ApiException, recognised by shape so that this module need not load the client:
 * a numeric HTTP code, the body and headers, and the message the client writes for them.
 */
function isApiException(err: unknown): err is ApiException<unknown> {
  return (
    err instanceof Error && typeof (err as { code?: unknown }).code === "number" && "body" in err && "headers" in err && err.message.startsWith("HTTP-Code: ")
  );
}

/**
 * What the API server said, in its own words: the `message` of the Status object it returns
 * (e.g. "Cannot evict pod as it would violate the pod's disruption budget."), not the client's wrapper.
 */
export function apiMessage(err: unknown): string {
  if (!isApiException(err)) return err instanceof Error ? err.message : String(err);
  const body: unknown = err.body;
  let status: { message?: string; reason?: string } | undefined;
  if (typeof body === "string") {
    try {
      status = JSON.parse(body) as { message?: string };
    } catch {
      return `HTTP ${err.code}: ${body.trim().slice(0, 300)}`;
    }
  } else if (body && typeof body === "object") {
    status = body as { message?: string };
  }
  return `HTTP ${err.code}${status?.reason ? ` ${status.reason}` : ""}: ${status?.message ?? "no message"}`;
}
