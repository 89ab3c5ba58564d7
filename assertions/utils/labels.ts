/** `{job="checkout-api", status="503"}`, sorted, as Prometheus prints label sets. */
export function formatLabels(labels: Record<string, string>, omit: string[] = []): string {
  const pairs = Object.entries(labels)
    .filter(([k]) => !omit.includes(k))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `{${pairs.join(", ")}}`;
}

/** Every wanted label is present with exactly that value; other labels may be anything. */
export function hasLabels(labels: Record<string, string>, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

/** A PromQL selector's matchers for exact label values. */
export function promMatchers(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ");
}
