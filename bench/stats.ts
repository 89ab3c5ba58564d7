export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function describe(values: number[], unit: string, digits = 1): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${median(values).toFixed(digits)} ${unit} (min ${sorted[0]!.toFixed(digits)}, max ${sorted.at(-1)!.toFixed(digits)}, n=${values.length})`;
}
