import { redact } from "../../core/redact.js";
import type { TimelineEvent } from "../../core/timeline.js";
import { eventLine } from "./event-line.js";
import { INITIAL_PROGRESS, nextProgress } from "./progress-state.js";
import { describeLoad, linePrefix } from "./progress-words.js";

/** How one experiment's progress reaches stderr; stdout stays clean for --json. */
export interface ProgressView {
  /** For runExperiment's onEvent. */
  onEvent: (event: TimelineEvent) => void;
  /** A line of the command's own, e.g. an interruption, kept above a live block rather than through it. */
  say: (line: string) => void;
  /** The experiment is over: a live block stops moving and stays on screen as it last was. */
  close: () => void;
}

/** Seconds between load lines in the scrollback; one per second would bury the events. */
const LOAD_LINE_EVERY_SECONDS = 15;

/**
 * One line per stage, fault and verdict, and a load line every 15 s: for CI logs, pipes and
 * terminals that cannot redraw. Evidence and errors may quote a connection string or a header,
 * so every line goes through redact().
 */
export function plainView(write: (line: string) => void): ProgressView {
  let state = INITIAL_PROGRESS;
  const say = (line: string) => write(redact(line));
  return {
    onEvent(event) {
      state = nextProgress(state, event);
      if (event.kind === "load-sample") {
        if (state.load && state.load.latest.second % LOAD_LINE_EVERY_SECONDS === 0)
          say(`${linePrefix(event.at, state.t0)}   load: ${describeLoad(state.load)}`);
        return;
      }
      const line = eventLine(event, state.t0);
      if (line) say(line);
    },
    say,
    close: () => {},
  };
}

/** Every event but the per-second load samples as a JSON line, for machines. */
export function jsonView(write: (line: string) => void): ProgressView {
  const say = (line: string) => write(redact(line));
  return {
    onEvent(event) {
      if (event.kind !== "load-sample") say(JSON.stringify(event));
    },
    say,
    close: () => {},
  };
}

export const QUIET_VIEW: ProgressView = { onEvent: () => {}, say: () => {}, close: () => {} };
