/**
 * Share of a probe's time its backend may spend answering it. First-seen comes from the signal's
 * own timestamp (sample, span end, log record), never from when a poll ran, so a probe whose
 * search is heavy (Jaeger under full load) can poll less often without losing accuracy; it
 * just leaves the CPU to the system under test.
 */
export const POLL_DUTY = 0.03;

/**
 * Default longest gap between two polls, however slow the last one was. It delays when the
 * runner learns of a signal, not the detection latency it reports; the window's end is always polled.
 */
export const MAX_POLL_GAP_MS = 15_000;

/**
 * The wait before the next poll: the base interval, stretched so that polling takes at most
 * POLL_DUTY of the time, and never longer than maxGapMs.
 */
export function nextPollDelay(intervalMs: number, lastPollMs: number, maxGapMs = MAX_POLL_GAP_MS): number {
  const stretched = (lastPollMs * (1 - POLL_DUTY)) / POLL_DUTY;
  return Math.max(intervalMs, Math.min(stretched, maxGapMs));
}
