import { isAllowed } from "../../core/allowlist.js";
import { DEFAULT_PROTECTED_CONTEXTS, type OperatorGuards } from "../../core/operator-guards.js";

/**
 * A game day aimed at production by mistake is the worst outcome this tool can have, so a
 * context matching a protected pattern is refused unless the operator opts in by flag, every
 * time. The default patterns always apply; the operator's own only add to them.
 */
export function guardContext(context: string, cluster: string, guards: Pick<OperatorGuards, "protectedContexts" | "allowProtectedContext">): void {
  const patterns = [...new Set([...DEFAULT_PROTECTED_CONTEXTS, ...guards.protectedContexts])];
  const hit = patterns.find((p) => isAllowed(context.toLowerCase(), [p.toLowerCase()]) || isAllowed(cluster.toLowerCase(), [p.toLowerCase()]));
  if (!hit || guards.allowProtectedContext) return;
  throw new Error(
    `kubeconfig context "${context}" (cluster "${cluster}") matches the protected pattern "${hit}"; the harness refuses to run there. ` +
      `Pick another context (env.options.context), or if this cluster really may be tested, pass --allow-protected-context (and keep chaos to --chaos-namespace).`,
  );
}
