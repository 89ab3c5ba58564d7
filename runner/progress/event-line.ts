import { formatSeconds } from "../../reports/utils/format.js";
import type { TimelineEvent } from "../../core/timeline.js";
import { linePrefix } from "./progress-words.js";

/**
 * The line an event leaves in the scrollback: stages, what happened to faults, verdicts. Load
 * samples have none; they are summed up by the caller. Not redacted here: the views redact
 * everything they print, in one place.
 */
export function eventLine(event: TimelineEvent, t0: string | undefined): string | undefined {
  const text = eventText(event);
  return text === undefined ? undefined : `${linePrefix(event.at, t0)}${text}`;
}

function eventText(event: TimelineEvent): string | undefined {
  const d = event.data ?? {};
  switch (event.kind) {
    case "stage":
      return `── ${String(d.stage)}${d.detail ? `: ${String(d.detail)}` : ""}`;
    case "fault-injected":
      return `   fault ${event.id} injected (${String(d.injector)}${d.target ? ` → ${String(d.target)}` : ""})`;
    case "fault-effect-verified":
      return `   fault ${event.id} verified: ${String(d.evidence ?? "")}`;
    case "fault-rolled-back":
      return `   fault ${event.id} rolled back`;
    case "fault-recovered":
      return `   fault ${event.id} left in place by a killed earlier run rolled back: ${(d.actions as string[]).join("; ")}`;
    case "fault-error":
      return `   fault ${event.id} ERROR: ${String(d.error)}`;
    case "expectation-verdict": {
      const seen = typeof d.detectionLatencySeconds === "number" ? ` (seen after ${formatSeconds(d.detectionLatencySeconds)})` : "";
      return `   ${String(d.verdict).toUpperCase().padEnd(12)} ${event.id}${seen}${d.reason ? `: ${String(d.reason)}` : ""}`;
    }
    default:
      return undefined;
  }
}
