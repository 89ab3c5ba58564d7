/** ISO-8601 with milliseconds, the report's time format. */
export function iso(date: Date): string {
  return date.toISOString();
}

/** A short duration for sentences: "850 ms", "3.8 s", "2m05s", "6h00m". */
export function humanMs(ms: number): string {
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (Math.abs(ms) < 3_600_000) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

export { sleep } from "../../core/long-timer.js";
