import type { Evidence, Probe } from "../probe.js";

/**
 * Optional beside the Probe contract: what the last successful query saw when nothing matched,
 * so that a `fail` (or a `stays-absent` pass) carries what was asked and what came back.
 */
export interface ReportsMisses {
  lastMiss(): Evidence | undefined;
}

export function lastMissOf(probe: Probe): Evidence | undefined {
  const candidate = probe as Probe & Partial<ReportsMisses>;
  return typeof candidate.lastMiss === "function" ? candidate.lastMiss() : undefined;
}
