import type { HistoryRegression, RunRef } from "./history-regressions.js";
import { formatDateTime, formatSeconds } from "./utils/format.js";

/** One plain line per regression, for a terminal and the index page alike; it names both runs so either can be opened. */
export function describeRegression(r: HistoryRegression): string {
  const what = r.expectation === undefined ? r.experiment : `${r.experiment} › ${r.expectation}`;
  if (r.kind === "verdict") return `${what}: verdict ${r.before} → ${r.after} in the run of ${when(r.run)}, against the run before it, ${when(r.against)}`;
  const from = r.against[0]!;
  const to = r.against.at(-1)!;
  const runs = r.against.length === 1 ? `the run of ${when(from)}` : `the median of ${r.against.length} runs from ${when(from)} to ${when(to)}`;
  const slower = `+${formatSeconds(r.after - r.before)}${r.before > 0 ? `, ×${(r.after / r.before).toFixed(1)}` : ""}`;
  return `${what}: detected in ${formatSeconds(r.after)} (${slower}) in the run of ${when(r.run)}, against ${formatSeconds(r.before)}, ${runs}`;
}

function when(run: RunRef): string {
  return `${formatDateTime(run.startedAt)} (${run.file})`;
}
