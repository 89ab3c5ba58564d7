import { parseDuration } from "../../core/durations.js";
import { DEADLINE } from "../../core/experiment-spec.js";

export interface Within {
  /** How long after the anchor the deadline falls. */
  ms: number;
  /** "pool-exhausted.start", "run-start", ...; undefined for a bare duration (steady-state checks). */
  anchor?: string;
}

/** "60s of pool-exhausted.start" or, for steady-state checks, a bare "30s". */
export function parseWithin(within: string): Within {
  const match = DEADLINE.exec(within);
  if (match) return { ms: parseDuration(match[1]!), anchor: match[2]! };
  return { ms: parseDuration(within) };
}
