import type { PrometheusClient, PromSample } from "../clients/index.js";

export interface CounterDelta {
  /** The label values that group the delta, e.g. { exporter: "otlp/jaeger" }. */
  labels: Record<string, string>;
  name: string;
  delta: number;
}

const key = (s: PromSample) => JSON.stringify(Object.entries(s.metric).sort());

/**
 * How much each counter matching `selector` grew over [from, to], per series then summed by
 * `by`. Read as two instant values rather than increase(), so a counter born inside the window
 * (its first refusal) counts in full, and a restart's reset counts from zero.
 */
export async function counterDeltas(prometheus: PrometheusClient, selector: string, by: string[], from: Date, to: Date): Promise<CounterDelta[]> {
  const [now, before] = await Promise.all([prometheus.query(selector, to), prometheus.query(selector, from)]);
  const earlier = new Map(before.map((s) => [key(s), s.value]));
  const sums = new Map<string, CounterDelta>();
  for (const s of now) {
    const previous = earlier.get(key(s)) ?? 0;
    const delta = s.value >= previous ? s.value - previous : s.value;
    const labels = Object.fromEntries(by.map((b) => [b, s.metric[b] ?? ""]));
    const name = (s.metric.__name__ ?? "").replace(/_total$/, "");
    const k = JSON.stringify([name, labels]);
    const sum = sums.get(k) ?? { labels, name, delta: 0 };
    sum.delta += delta;
    sums.set(k, sum);
  }
  return [...sums.values()];
}

/** The sum of the deltas whose metric name ends with `suffix`. */
export function total(deltas: CounterDelta[], suffix: string): number {
  return deltas.filter((d) => d.name.endsWith(suffix)).reduce((n, d) => n + d.delta, 0);
}
