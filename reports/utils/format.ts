/** Numbers and times as a person reads them. Locale-independent so reports and tests are stable. */

export function formatSeconds(seconds: number | undefined | null): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return "—";
  const sign = seconds < 0 ? "-" : "";
  const abs = Math.abs(seconds);
  if (abs < 10) return `${sign}${Number(abs.toFixed(1))} s`;
  const total = Math.round(abs);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${sign}${h} h ${m} min`;
  if (m > 0) return s === 0 ? `${sign}${m} min` : `${sign}${m} min ${s} s`;
  return `${sign}${s} s`;
}

/** A fraction as a percentage with sensible precision: 0.0079 → "0.79 %", 0.227 → "22.7 %". */
export function formatPercent(fraction: number | undefined | null): string {
  if (fraction === undefined || fraction === null || !Number.isFinite(fraction)) return "—";
  const pct = fraction * 100;
  if (pct === 0) return "0 %";
  return `${Math.abs(pct) >= 10 ? Number(pct.toFixed(1)) : Number(pct.toPrecision(3))} %`;
}

export function formatCount(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return "—";
  return Math.round(n).toLocaleString("en-US");
}

/** Up to three significant digits: 19.98 → "20", 0.1834 → "0.183". */
export function formatNumber(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return "—";
  if (Math.abs(n) >= 1000) return formatCount(n);
  return String(Number(n.toPrecision(3)));
}

export function formatMs(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return "—";
  return ms >= 1000 ? `${Number((ms / 1000).toPrecision(3))} s` : `${Number(ms.toPrecision(3))} ms`;
}

/** "2025-11-20 14:02:13 UTC"; times in reports are UTC so readers in different zones agree. */
export function formatDateTime(iso: string | undefined): string {
  const ms = iso === undefined ? NaN : Date.parse(iso);
  if (!Number.isFinite(ms)) return "—";
  return new Date(ms)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " UTC");
}

/** Offset from run start, "T+2:13", the way game-day notes count time. */
export function formatOffset(iso: string | undefined, startedAt: string): string {
  const ms = iso === undefined ? NaN : Date.parse(iso) - Date.parse(startedAt);
  if (!Number.isFinite(ms)) return "—";
  const sign = ms < 0 ? "−" : "+";
  const total = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `T${sign}${h}:${String(m).padStart(2, "0")}:${s}` : `T${sign}${m}:${s}`;
}

export function secondsBetween(fromIso: string | undefined, toIso: string | undefined): number | undefined {
  if (fromIso === undefined || toIso === undefined) return undefined;
  const d = (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
  return Number.isFinite(d) ? d : undefined;
}
