/** Durations as written in experiment files: "90s", "2m", "1h30m", "500ms". */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

/** The longest anything in an experiment may last or wait: a month, well past any soak. */
export const MAX_DURATION_MS = 31 * 86_400_000;

/** A duration in the file's syntax that is not longer than MAX_DURATION_MS (and so not Infinity). */
export function isDuration(text: string): boolean {
  if (text.length > 40 || !DURATION.test(text)) return false;
  const ms = parseDuration(text);
  return Number.isFinite(ms) && ms <= MAX_DURATION_MS;
}

export function parseDuration(text: string): number {
  if (!DURATION.test(text)) throw new Error(`expected a duration like "90s", "2m" or "1h30m", got "${text}"`);
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(n) * UNIT_MS[unit!]!;
  return total;
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
