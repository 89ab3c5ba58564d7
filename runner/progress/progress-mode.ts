import { liveView } from "./live-view.js";
import { jsonView, plainView, QUIET_VIEW, type ProgressView } from "./progress-view.js";

export type ProgressMode = "human" | "quiet" | "json";

/**
 * Redraw in place only for a person at a terminal: a CI log or a pipe keeps every line, and a
 * dumb terminal cannot move its cursor.
 */
export function wantsLiveView(mode: ProgressMode, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return mode === "human" && stream.isTTY === true && !inCi(env) && env.TERM !== "dumb";
}

/** CI=true, CI=1, CI=woodpecker: any value but an empty one or "false", as CI services and is-ci have it. */
function inCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI?.trim();
  return ci !== undefined && ci !== "" && ci.toLowerCase() !== "false";
}

/** The view of one experiment for the run's mode, on stderr. */
export function progressView(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): ProgressView {
  if (mode === "quiet") return QUIET_VIEW;
  const write = (line: string) => void stream.write(`${line}\n`);
  if (mode === "json") return jsonView(write);
  return wantsLiveView(mode, stream, env) ? liveView(stream) : plainView(write);
}
