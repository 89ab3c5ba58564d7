import { isAllowed } from "../core/allowlist.js";

/** A fault aimed outside what its experiment declared it may touch. */
export class BlastRadiusError extends Error {
  override readonly name = "BlastRadiusError";
}

/**
 * Refuses a fault whose target the experiment did not allow. Called before anything is
 * journaled or touched, and by describe() so --dry-run shows the refusal too.
 */
export function guardBlastRadius(faultId: string, injector: string, target: string, allowlist: readonly string[]): void {
  if (isAllowed(target, allowlist)) return;
  const listed = allowlist.length ? `[${allowlist.map((e) => `"${e}"`).join(", ")}]` : "empty";
  throw new BlastRadiusError(
    `faults[${faultId}]: refused to run the ${injector} injector on target "${target}": it is not in the experiment's allowlist (${listed}). ` +
      `If this fault may touch "${target}", add it to the experiment's top-level allowlist: [..., "${target}"]; otherwise aim the fault at an allowed target.`,
  );
}
