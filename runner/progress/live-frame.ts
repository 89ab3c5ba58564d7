import { formatCount, formatSeconds } from "../../reports/utils/format.js";
import type { ActiveFault, ExpectationProgress, LoadProgress, ProgressState } from "./progress-state.js";
import { describeLoad, offset } from "./progress-words.js";

/** Pending expectations listed by name; the rest are counted, so the block fits a terminal. */
export const MAX_PENDING_SHOWN = 6;
/** Requests held up by a fault send no results; past this the view says how long none has come. */
const LOAD_QUIET_MS = 3000;
const INDENT = " ".repeat(8);

/** The live block under the scrollback: where the run is, its load, the faults in place, the expectations. Empty before the run starts. */
export function liveFrame(state: ProgressState, nowMs: number): string[] {
  if (state.t0 === undefined) return [];
  const now = new Date(nowMs).toISOString();
  return [clockLine(state, now), ...(state.load ? [loadLine(state.load, nowMs)] : []), ...faultLines(state), ...expectationLines(state)];
}

function clockLine(state: ProgressState, now: string): string {
  const stage = state.stage ? ` · ${state.stage}` : "";
  if (!state.plannedEndAt) return `${offset(now, state.t0)}${stage}`;
  const leftSeconds = Math.ceil((Date.parse(state.plannedEndAt) - Date.parse(now)) / 1000);
  const left = leftSeconds > 0 ? `, ${formatSeconds(leftSeconds)} left` : "";
  return `${offset(now, state.t0)} of ${offset(state.plannedEndAt, state.t0)} planned${left}${stage}`;
}

function loadLine(load: LoadProgress, nowMs: number): string {
  if (load.ended) return `load    ended: ${formatCount(load.latest.requests)} requests, ${formatCount(load.latest.errors)} failed`;
  const quietMs = nowMs - Date.parse(load.latest.at);
  const quiet = quietMs > LOAD_QUIET_MS ? ` · no result for ${formatSeconds(Math.floor(quietMs / 1000))}` : "";
  return `load    ${describeLoad(load)}${quiet}`;
}

function faultLines(state: ProgressState): string[] {
  if (state.faults.length === 0) return ["faults  none in place"];
  return state.faults.map((f, i) => `${i === 0 ? "faults  " : INDENT}${describeFault(f, state.t0)}`);
}

function describeFault(f: ActiveFault, t0: string | undefined): string {
  const status = f.problem ?? (f.verified ? "verified" : "not verified yet");
  return `${f.id} (${f.injector}${f.target ? ` → ${f.target}` : ""}) since ${offset(f.since, t0)}, ${status}`;
}

function expectationLines(state: ProgressState): string[] {
  const all = state.expectations;
  if (all.length === 0) return [];
  const settled = all.filter((e) => e.verdict !== undefined);
  const pending = all.filter((e) => e.verdict === undefined).sort((a, b) => Date.parse(a.deadlineAt ?? "") - Date.parse(b.deadlineAt ?? ""));
  const counts = new Map<string, number>();
  for (const e of settled) counts.set(e.verdict!, (counts.get(e.verdict!) ?? 0) + 1);
  const verdicts = [...counts].map(([verdict, n]) => `${n} ${verdict}`).join(", ");
  const width = Math.max(...pending.map((e) => e.id.length));
  const shown = pending.slice(0, MAX_PENDING_SHOWN).map((e) => `${INDENT}${e.id.padEnd(width)}  ${describeDeadline(e, state.t0)}`);
  const more = pending.length > shown.length ? [`${INDENT}and ${pending.length - shown.length} more`] : [];
  return [`expect  ${settled.length} of ${all.length} settled${verdicts ? `: ${verdicts}` : ""} · ${pending.length} pending`, ...shown, ...more];
}

function describeDeadline(e: ExpectationProgress, t0: string | undefined): string {
  if (e.deadlineAt === undefined) return "deadline unknown";
  // Before its anchor happens, a deadline is where the plan puts it; a late fault moves it.
  return `deadline ${offset(e.deadlineAt, t0)}${e.anchored ? "" : " (planned)"}`;
}
