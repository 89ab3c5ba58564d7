import { createLogUpdate } from "log-update";
import { redact } from "../../core/redact.js";
import { eventLine } from "./event-line.js";
import { liveFrame } from "./live-frame.js";
import { INITIAL_PROGRESS, nextProgress } from "./progress-state.js";
import type { ProgressView } from "./progress-view.js";

export interface LiveViewOptions {
  now?: () => number;
  refreshMs?: number;
}

/**
 * A block redrawn in place at the bottom of a terminal, with the lines plainView() would print
 * for faults, verdicts and stages kept above it, so the scrollback loses nothing. Everything
 * shown goes through redact(), the block as much as the lines.
 */
export function liveView(stream: NodeJS.WriteStream, options: LiveViewOptions = {}): ProgressView {
  const now = options.now ?? Date.now;
  const update = createLogUpdate(stream);
  let state = INITIAL_PROGRESS;
  const draw = () => {
    const frame = liveFrame(state, now());
    if (frame.length > 0) update(redact(frame.join("\n")));
  };
  const above = (line: string) => {
    update.persist(redact(line));
    draw();
  };
  // The clock and the time left move between events, and a load held up by a fault sends none.
  const timer = setInterval(draw, options.refreshMs ?? 1000);
  timer.unref();
  return {
    onEvent(event) {
      state = nextProgress(state, event);
      const line = eventLine(event, state.t0);
      if (line) above(line);
      else draw();
    },
    say: above,
    close() {
      clearInterval(timer);
      draw();
      update.done();
    },
  };
}
