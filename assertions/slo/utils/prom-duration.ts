/**
 * Prometheus duration literals ("5m", "1h30m", "3d"), as the 2.x parser accepts them:
 * unit runs in descending order, no fractions. Kept apart from core/durations.ts because
 * PromQL also has w and y and rejects fractions like "1.5h".
 */
const UNIT_MS = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const ORDER: Unit[] = ["y", "w", "d", "h", "m", "s", "ms"];
const PART = /(\d+)(ms|y|w|d|h|m|s)/y;

export function parsePromDuration(text: string): number {
  if (text === "0") return 0;
  let total = 0;
  let lastRank = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (!match) throw new Error(`expected a Prometheus duration like "5m" or "1h30m", got "${text}" (bad at offset ${start})`);
    const unit = match[2] as Unit;
    const rank = ORDER.indexOf(unit);
    if (rank <= lastRank) throw new Error(`expected duration units in descending order (y w d h m s ms), got "${text}"`);
    lastRank = rank;
    total += Number(match[1]) * UNIT_MS[unit];
  }
  if (text.length === 0) throw new Error('expected a Prometheus duration like "5m", got ""');
  return total;
}

/** Largest units first, no weeks or years, so "3d" stays "3d" and 4_320_000 ms reads "1h12m". */
export function formatPromDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`a Prometheus duration must be a positive whole number of milliseconds, got ${ms}`);
  let rest = ms;
  let out = "";
  for (const unit of ["d", "h", "m", "s", "ms"] as const) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * UNIT_MS[unit];
  }
  return out;
}
