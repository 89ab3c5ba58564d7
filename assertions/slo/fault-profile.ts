import type { SeriesModel, SeriesSpec } from "./series-model.js";

/** A fault as the backtest sees it: error ratio e for duration d at traffic rate r. */
export interface FaultProfile {
  name: string;
  errorRatio: number;
  durationMs: number;
  /** Requests per second. */
  ratePerSecond: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Profiles that tell burn-rate rules apart; ratios are absolute, chosen for a 99 % objective. */
export const DEFAULT_PROFILES: readonly FaultProfile[] = [
  { name: "outage", errorRatio: 1, durationMs: HOUR, ratePerSecond: 10 },
  { name: "fast-burn", errorRatio: 0.2, durationMs: 2 * HOUR, ratePerSecond: 10 },
  { name: "slow-burn", errorRatio: 0.05, durationMs: 8 * HOUR, ratePerSecond: 10 },
  { name: "creeping", errorRatio: 0.02, durationMs: 72 * HOUR, ratePerSecond: 10 },
  { name: "blip", errorRatio: 1, durationMs: 2 * MIN, ratePerSecond: 10 },
  { name: "one-error-low-traffic", errorRatio: 1, durationMs: MIN, ratePerSecond: 1 / 60 },
];

export interface SyntheticCounters {
  /** Cumulative counter values per series, one per step from t = 0. */
  series: { spec: SeriesSpec; values: number[] }[];
  /** Cumulative bad events per step, for budget accounting. */
  bad: number[];
  total: number[];
}

/**
 * Whole-number counters sampled every `stepMs`: steady traffic, errors at the profile's
 * ratio from `faultStartMs` for its duration. Flooring cumulative counts keeps events
 * discrete, so at low traffic one failed request is one step of the counter.
 */
export function syntheticCounters(model: SeriesModel, profile: FaultProfile, faultStartMs: number, stepMs: number, steps: number): SyntheticCounters {
  const total: number[] = [];
  const bad: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = i * stepMs;
    const faulty = Math.min(Math.max(t - faultStartMs, 0), profile.durationMs);
    total.push(Math.floor((profile.ratePerSecond * t) / 1000 + 1e-9));
    bad.push(Math.floor((profile.errorRatio * profile.ratePerSecond * faulty) / 1000 + 1e-9));
  }
  const good = total.map((v, i) => v - bad[i]!);
  const series = [
    model.bad && { spec: model.bad, values: bad },
    model.good && { spec: model.good, values: good },
    model.total && { spec: model.total, values: total },
  ].filter((s): s is { spec: SeriesSpec; values: number[] } => Boolean(s));
  return { series, bad, total };
}

/** promtool's expanding notation: runs of equal steps become "a+bxn" (n + 1 values). */
export function expandingNotation(values: number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    const start = values[i]!;
    if (i + 1 >= values.length) {
      parts.push(String(start));
      break;
    }
    const step = values[i + 1]! - start;
    let j = i + 1;
    while (j + 1 < values.length && values[j + 1]! - values[j]! === step) j++;
    parts.push(`${start}${step >= 0 ? "+" : "-"}${Math.abs(step)}x${j - i}`);
    i = j + 1;
  }
  return parts.join(" ");
}

export function seriesSelector(spec: SeriesSpec): string {
  const labels = Object.entries(spec.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${spec.metric}{${labels.join(", ")}}`;
}
