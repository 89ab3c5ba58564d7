import type { PrometheusClient } from "./clients/index.js";
import { promMatchers } from "./utils/labels.js";

const MAX_POINTS = 10_000;

/** Which 1 s steps of [since - 1 step, now] an alert was in a given state, from Prometheus' ALERTS series. */
export interface AlertSteps {
  query: string;
  /** Seconds since the epoch, one per step. */
  times: number[];
  present: boolean[];
  stepS: number;
  /** Labels of a series seen, for evidence. */
  labels?: Record<string, string>;
}

/**
 * ALERTS{alertname=..., alertstate=...} over the window. Prometheus writes it at each rule
 * evaluation, and a stale marker the evaluation it stops, so a 1 s step places both edges
 * within a second of the evaluation that made them.
 */
export async function alertSteps(
  prometheus: PrometheusClient,
  selector: { name: string; labels: Record<string, string>; states: ("pending" | "firing")[] },
  since: Date,
  now: Date,
): Promise<AlertSteps> {
  const span = Math.max(1, (now.getTime() - since.getTime()) / 1000);
  const stepS = Math.max(1, Math.ceil(span / MAX_POINTS));
  const start = new Date(since.getTime() - stepS * 1000);
  const state = selector.states.length === 1 ? `alertstate="${selector.states[0]}"` : `alertstate=~"${selector.states.join("|")}"`;
  const extra = promMatchers(selector.labels);
  const query = `ALERTS{alertname=${JSON.stringify(selector.name)}, ${state}${extra ? `, ${extra}` : ""}}`;
  return { ...(await presence(prometheus, query, start, now, stepS)), query };
}

async function presence(prometheus: PrometheusClient, query: string, start: Date, end: Date, stepS: number): Promise<Omit<AlertSteps, "query">> {
  const series = await prometheus.queryRange(query, start, end, stepS);
  const seen = new Set(series.flatMap((s) => s.values.map(([t]) => Math.round(t * 1000))));
  const times: number[] = [];
  const present: boolean[] = [];
  for (let t = start.getTime(); t <= end.getTime(); t += stepS * 1000) {
    times.push(t / 1000);
    present.push(seen.has(Math.round(t)));
  }
  return { times, present, stepS, ...(series[0] ? { labels: series[0].metric } : {}) };
}

/**
 * An edge found on the coarse grid lies in (t - step, t]; 0.1 s steps over that interval place
 * it within a tenth of a second of the evaluation that wrote it.
 */
export async function refineEdge(prometheus: PrometheusClient, steps: AlertSteps, t: number, toPresent: boolean): Promise<number> {
  const start = new Date(Math.round((t - steps.stepS) * 1000));
  const fine = await presence(prometheus, steps.query, start, new Date(Math.round(t * 1000)), 0.1);
  const i = fine.present.findIndex((p) => p === toPresent);
  return i >= 0 ? fine.times[i]! : t;
}

/** The first step from `since` on where the alert is present, or the step before `since` when it already was. */
export function firstPresent(steps: AlertSteps, sinceS: number): { t: number; preexisting: boolean } | undefined {
  for (let i = 0; i < steps.times.length; i++) {
    if (!steps.present[i]) continue;
    const t = steps.times[i]!;
    if (t >= sinceS - steps.stepS / 2) return { t, preexisting: false };
    // Present just before `since`: only a sighting if it is still present at `since`.
    if (steps.present[i + 1]) return { t, preexisting: true };
  }
  return undefined;
}

/** The first step from `since` on where the alert is absent, and whether it was present before that. */
export function firstAbsent(steps: AlertSteps, sinceS: number): { t: number; wasPresent: boolean } | undefined {
  let wasPresent = false;
  for (let i = 0; i < steps.times.length; i++) {
    const t = steps.times[i]!;
    if (steps.present[i]) wasPresent = true;
    else if (t >= sinceS - steps.stepS / 2) return { t, wasPresent };
  }
  return undefined;
}

/** True when the alert is present at the newest step. */
export function presentNow(steps: AlertSteps): boolean {
  return steps.present[steps.present.length - 1] ?? false;
}
