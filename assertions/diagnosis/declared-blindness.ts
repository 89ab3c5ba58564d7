import type { Signal } from "../probe.js";
import { faultsDuring, offset, type FaultWindow } from "./diagnosis.js";

/** An alert is computed from metrics: a fault that blinds metrics blinds the alerts built on them. */
const UPSTREAM: Partial<Record<Signal, Signal[]>> = { alert: ["metric"] };

/**
 * The experiment's own word that a fault blinds this signal (`blinds: [trace, log]` on a fault
 * that kills the collector), when that fault was in place during the window. Only a declaration
 * excuses a miss: a stack that goes blind on its own is the defect being looked for.
 */
export function declaredBlindness(faults: readonly FaultWindow[], signal: Signal, from: Date, to: Date, origin: Date): string | undefined {
  const blinded = [signal, ...(UPSTREAM[signal] ?? [])];
  const declared = faultsDuring(faults, from, to).filter((f) => f.blinds.some((b) => blinded.includes(b)));
  if (declared.length === 0) return undefined;
  const words = declared.map(
    (f) =>
      `${f.id} (${f.injector}${f.target ? ` on ${f.target}` : ""}, in place from ${offset(f.from, origin)}${f.to ? ` to ${offset(f.to, origin)}` : ""}) declares that it blinds ${f.blinds.join(", ")}`,
  );
  return `the experiment's fault ${words.join("; ")}: a ${signal} missed while it was in place cannot be judged`;
}
