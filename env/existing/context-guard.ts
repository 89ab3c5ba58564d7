import { isAllowed } from "../../core/allowlist.js";

/**
 * A game day aimed at production by mistake is the worst outcome this tool can have, so a
 * context matching a protected pattern is refused unless the run opts in by flag, every time.
 */
export function guardContext(context: string, cluster: string, protectedPatterns: readonly string[], allowProtected: boolean): void {
  const hit = protectedPatterns.find((p) => isAllowed(context.toLowerCase(), [p.toLowerCase()]) || isAllowed(cluster.toLowerCase(), [p.toLowerCase()]));
  if (!hit || allowProtected) return;
  throw new Error(
    `kubeconfig context "${context}" (cluster "${cluster}") matches the protected pattern "${hit}"; the harness refuses to run there. ` +
      `Pick another context (env.options.context), or if this cluster really may be tested, pass --allow-protected-context (and keep chaos to env.options.chaosNamespaces).`,
  );
}
