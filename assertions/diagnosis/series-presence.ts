import type { PrometheusClient } from "../clients/index.js";

/** Prometheus allows 11,000 points per series; stay well under. */
const MAX_POINTS = 2000;

export interface Presence {
  stepS: number;
  /** Steps at which the expression returned at least one series. */
  presentSteps: number;
  totalSteps: number;
  firstAt?: Date;
  lastAt?: Date;
  /** Stretches inside [firstAt, to] with no series, longest first. */
  gaps: { from: Date; to: Date }[];
  /** min and max over every series and step, when any. */
  min?: number;
  max?: number;
  maxAt?: Date;
  series: number;
}

/** When over [from, to] an expression returned anything, at a step fine enough to see a missed scrape. */
export async function presenceOf(prometheus: PrometheusClient, expr: string, from: Date, to: Date): Promise<Presence> {
  const spanS = Math.max(1, (to.getTime() - from.getTime()) / 1000);
  const stepS = Math.max(1, Math.ceil(spanS / MAX_POINTS));
  const series = await prometheus.queryRange(expr, from, to, stepS);
  const at = new Map<number, number>();
  let min: number | undefined;
  let max: number | undefined;
  let maxAt: number | undefined;
  for (const s of series) {
    for (const [t, v] of s.values) {
      const key = Math.round(t * 1000);
      at.set(key, (at.get(key) ?? 0) + 1);
      if (Number.isNaN(v)) continue;
      if (min === undefined || v < min) min = v;
      if (max === undefined || v > max) {
        max = v;
        maxAt = key;
      }
    }
  }
  const times: number[] = [];
  for (let t = from.getTime(); t <= to.getTime(); t += stepS * 1000) times.push(t);
  const present = times.filter((t) => at.has(Math.round(t)));
  const gaps: { from: Date; to: Date }[] = [];
  let gapStart: number | undefined;
  for (const t of times) {
    if (present.length === 0 || t < present[0]!) continue;
    if (!at.has(Math.round(t))) gapStart ??= t;
    else if (gapStart !== undefined) {
      gaps.push({ from: new Date(gapStart), to: new Date(t) });
      gapStart = undefined;
    }
  }
  if (gapStart !== undefined) gaps.push({ from: new Date(gapStart), to });
  gaps.sort((a, b) => b.to.getTime() - b.from.getTime() - (a.to.getTime() - a.from.getTime()));
  return {
    stepS,
    presentSteps: present.length,
    totalSteps: times.length,
    ...(present.length ? { firstAt: new Date(present[0]!), lastAt: new Date(present[present.length - 1]!) } : {}),
    gaps,
    ...(min !== undefined ? { min, max: max!, maxAt: new Date(maxAt!) } : {}),
    series: series.length,
  };
}
