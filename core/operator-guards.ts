import { isAllowed } from "./allowlist.js";
import type { KubernetesAccess } from "./environment.js";

/**
 * Guards that only the operator running the harness sets, from the command line or their own
 * config file, never from an experiment: a file copied from a colleague or a pull request must
 * not be able to point chaos at production or at the cluster's own machinery.
 */
export interface OperatorGuards {
  /** kubeconfig contexts or cluster names the harness refuses (globs), unless allowProtectedContext. */
  protectedContexts: readonly string[];
  /** `--allow-protected-context`: the one way to run where a protected pattern matches. */
  allowProtectedContext: boolean;
  /** Namespaces pod faults may touch (globs); none unless the operator names them. */
  chaosNamespaces: readonly string[];
  /** System namespaces the operator explicitly allows chaos in, by exact name. */
  allowSystemNamespaces: readonly string[];
}

/** Always protected; an operator's own patterns add to these. `prd` is as common an abbreviation as `prod`. */
export const DEFAULT_PROTECTED_CONTEXTS = ["*prod*", "*production*", "*prd*", "*live*"] as const;

/** The cluster's own machinery: a glob such as "*" in chaosNamespaces never reaches them. */
export const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"] as const;

export const NO_OPERATOR_GUARDS: OperatorGuards = {
  protectedContexts: DEFAULT_PROTECTED_CONTEXTS,
  allowProtectedContext: false,
  chaosNamespaces: [],
  allowSystemNamespaces: [],
};

/**
 * Why chaos may not touch this namespace, or undefined when it may. Both the operator's
 * chaosNamespaces and, for a system namespace, an explicit --allow-system-namespace are needed.
 */
export function chaosNamespaceRefusal(namespace: string, access: KubernetesAccess): string | undefined {
  const system = (SYSTEM_NAMESPACES as readonly string[]).includes(namespace);
  if (system && !(access.allowSystemNamespaces ?? []).includes(namespace)) {
    return `namespace "${namespace}" is the cluster's own; chaos there needs the operator's --allow-system-namespace ${namespace} on the command line`;
  }
  if (!isAllowed(namespace, access.chaosNamespaces)) {
    const given = access.chaosNamespaces.length ? access.chaosNamespaces.join(", ") : "none";
    return `namespace "${namespace}" is not one the operator allows chaos in (chaos namespaces: ${given}); pass --chaos-namespace ${namespace} or add it to chaosNamespaces in your operator config if this cluster may be disrupted in it`;
  }
  return undefined;
}
