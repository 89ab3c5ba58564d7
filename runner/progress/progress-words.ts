import { formatCount, formatNumber, formatOffset } from "../../reports/utils/format.js";
import type { LoadProgress } from "./progress-state.js";
import { RATE_WINDOW_SECONDS } from "./progress-state.js";

/** "T+1:23" from the run's start, as the HTML report counts; blank before the run has started. */
export function offset(at: string, t0: string | undefined): string {
  return t0 === undefined ? "" : formatOffset(at, t0);
}

/**
 * "14:02:13 T+1:23  " before each line: the UTC clock to line the run up with backend logs and
 * dashboards, which know nothing of T+, and T+ to line it up with the report.
 */
export function linePrefix(at: string, t0: string | undefined): string {
  return `${at.slice(11, 19)} ${offset(at, t0).padEnd(7)} `;
}

export function describeLoad(load: LoadProgress): string {
  const { requests, errors } = load.latest;
  const recent = errors > 0 ? `, ${formatCount(load.recentErrors)} in the last ${RATE_WINDOW_SECONDS} s` : "";
  return `${formatNumber(load.rate)} req/s, ${formatCount(requests)} requests, ${formatCount(errors)} failed${recent}`;
}
