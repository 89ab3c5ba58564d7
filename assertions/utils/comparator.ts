export type Comparator = ">" | ">=" | "<" | "<=" | "==" | "!=";

export const COMPARATORS: readonly Comparator[] = [">", ">=", "<", "<=", "==", "!="];

/** PromQL's filter semantics: NaN matches nothing but `!=`, as in Prometheus itself. */
export function compare(value: number, op: Comparator, threshold: number): boolean {
  switch (op) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
    case "==":
      return value === threshold;
    case "!=":
      return value !== threshold;
  }
}

/** A sample as people read it: no float noise, NaN and infinities spelled out. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  return Number(value.toPrecision(6)).toString();
}
