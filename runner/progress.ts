import { redact } from "../core/redact.js";
import type { TimelineEvent } from "../core/timeline.js";

export type ProgressMode = "human" | "quiet" | "json";

function clock(iso: string): string {
  return iso.slice(11, 19);
}

/** One line per stage, fault and verdict on stderr, so stdout stays clean for --json. */
export function progressPrinter(mode: ProgressMode, sink: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): (event: TimelineEvent) => void {
  // Evidence and errors may quote a connection string or a header: nothing printed carries a secret.
  const write = (line: string) => sink(redact(line));
  return (event) => {
    if (mode === "quiet") return;
    if (mode === "json") {
      if (event.kind !== "load-sample") write(JSON.stringify(event));
      return;
    }
    const d = event.data ?? {};
    const t = clock(event.at);
    switch (event.kind) {
      case "stage":
        write(`${t} ── ${String(d.stage)}${d.detail ? `: ${String(d.detail)}` : ""}`);
        break;
      case "load-sample":
        if (Number(d.second) % 15 === 0) write(`${t}    load: ${d.requests} requests, ${d.errors} failed, ${Number(d.rps).toFixed(1)} req/s`);
        break;
      case "fault-injected":
        write(`${t}    fault ${event.id} injected (${String(d.injector)}${d.target ? ` → ${String(d.target)}` : ""})`);
        break;
      case "fault-effect-verified":
        write(`${t}    fault ${event.id} verified: ${String(d.evidence ?? "")}`);
        break;
      case "fault-rolled-back":
        write(`${t}    fault ${event.id} rolled back`);
        break;
      case "fault-recovered":
        write(`${t}    fault ${event.id} left in place by a killed earlier run rolled back: ${(d.actions as string[]).join("; ")}`);
        break;
      case "fault-error":
        write(`${t}    fault ${event.id} ERROR: ${String(d.error)}`);
        break;
      case "expectation-verdict":
        write(
          `${t}    ${String(d.verdict).toUpperCase().padEnd(12)} ${event.id}${typeof d.detectionLatencySeconds === "number" ? ` (seen after ${d.detectionLatencySeconds.toFixed(1)}s)` : ""}${d.reason ? `: ${String(d.reason)}` : ""}`,
        );
        break;
      default:
        break;
    }
  };
}
