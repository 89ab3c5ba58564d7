/**
 * Share of a probe's time its backend may spend answering it. Where first-seen comes from the
 * signal's own timestamp (a stored sample, an alert evaluation), never from when a poll ran, a
 * probe whose query is heavy can poll less often without losing accuracy; it just leaves the CPU
 * to the system under test.
 */
export const POLL_DUTY = 0.03;

/**
 * Default longest gap between two polls, however slow the last one was. It delays when the
 * runner learns of a signal, not the detection latency it reports; the window's end is always polled.
 */
export const MAX_POLL_GAP_MS = 15_000;

/**
 * While a trace or log is awaited, visibility is dated by the polls themselves: the signal became
 * visible between the last poll that missed it and the first that found it. Polling then takes up
 * to this share, at most VISIBILITY_GAP_MS apart, so that bound stays within a second or two.
 */
export const VISIBILITY_DUTY = 0.3;
export const VISIBILITY_GAP_MS = 2000;

/**
 * The wait before the next poll: the base interval, stretched so that polling takes at most
 * `duty` of the time, and never longer than maxGapMs.
 */
export function nextPollDelay(intervalMs: number, lastPollMs: number, maxGapMs = MAX_POLL_GAP_MS, duty = POLL_DUTY): number {
  const stretched = (lastPollMs * (1 - duty)) / duty;
  return Math.max(intervalMs, Math.min(stretched, maxGapMs));
}
