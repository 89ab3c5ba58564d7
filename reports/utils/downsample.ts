/** A series as two parallel arrays, the shape charts take. `null` is a gap (no data), not zero. */
export interface XYSeries {
  x: number[];
  y: (number | null)[];
}

/**
 * Keeps the lowest and highest point of each of `buckets` equal time slices, so a one-second error
 * spike in a million samples still shows; averaging (or LTTB at low point counts) can hide it.
 * Slices holding only gaps keep one gap so an outage in the data stays visible. Output is in time
 * order even when the input is not, and has at most 2 × buckets points.
 */
export function downsampleMinMax(x: ArrayLike<number>, y: ArrayLike<number | null>, buckets: number): XYSeries {
  const n = Math.min(x.length, y.length);
  if (n <= buckets * 2) return sortedCopy(x, y, n);
  let x0 = Infinity;
  let x1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    if (xi < x0) x0 = xi;
    if (xi > x1) x1 = xi;
  }
  const span = x1 - x0 || 1;
  const minIdx = new Int32Array(buckets).fill(-1);
  const maxIdx = new Int32Array(buckets).fill(-1);
  const gapIdx = new Int32Array(buckets).fill(-1);
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    if (!Number.isFinite(xi)) continue;
    const b = Math.min(buckets - 1, Math.floor(((xi - x0) / span) * buckets));
    const yi = y[i];
    if (yi === null || yi === undefined || !Number.isFinite(yi)) {
      if (gapIdx[b] === -1) gapIdx[b] = i;
      continue;
    }
    if (minIdx[b] === -1 || yi < (y[minIdx[b]!] as number)) minIdx[b] = i;
    if (maxIdx[b] === -1 || yi > (y[maxIdx[b]!] as number)) maxIdx[b] = i;
  }
  const out: XYSeries = { x: [], y: [] };
  for (let b = 0; b < buckets; b++) {
    const lo = minIdx[b]!;
    const hi = maxIdx[b]!;
    if (lo === -1) {
      const g = gapIdx[b]!;
      if (g !== -1) push(out, x[g]!, null);
      continue;
    }
    const [first, second] = x[lo]! <= x[hi]! ? [lo, hi] : [hi, lo];
    push(out, x[first]!, y[first] as number);
    if (second !== first) push(out, x[second]!, y[second] as number);
  }
  return out;
}

function push(out: XYSeries, x: number, y: number | null): void {
  out.x.push(x);
  out.y.push(y);
}

function sortedCopy(x: ArrayLike<number>, y: ArrayLike<number | null>, n: number): XYSeries {
  const order = Array.from({ length: n }, (_, i) => i).filter((i) => Number.isFinite(x[i]!));
  order.sort((a, b) => x[a]! - x[b]!);
  return {
    x: order.map((i) => x[i]!),
    y: order.map((i) => {
      const v = y[i];
      return v === null || v === undefined || !Number.isFinite(v) ? null : v;
    }),
  };
}
