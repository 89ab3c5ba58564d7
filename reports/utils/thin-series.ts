import type { LoadResult } from "../../core/report-schema.js";
import { createIsoParser } from "./iso-time.js";

type LoadSample = LoadResult["samples"][number];

/** Time ranges in unix milliseconds, sorted and disjoint. */
export interface Interval {
  from: number;
  to: number;
}

/** How to thin: buckets of `bucketMs` counted from `origin`, except inside `keep`. */
export interface ThinPlan {
  origin: number;
  bucketMs: number;
  keep: readonly Interval[];
}

/** Sorts and merges overlapping ranges, so a point is looked up in one forward pass. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.from <= last.to) last.to = Math.max(last.to, i.to);
    else out.push({ ...i });
  }
  return out;
}

/**
 * A bucket key per time, for input in time order: -1 inside a kept range. The cursor only moves
 * forward, so a million lookups cost one pass over the ranges.
 */
function keyer(plan: ThinPlan): (ms: number) => number {
  let k = 0;
  return (ms) => {
    while (k < plan.keep.length && plan.keep[k]!.to <= ms) k++;
    const range = plan.keep[k];
    if (range && ms >= range.from) return -1;
    return Math.floor((ms - plan.origin) / plan.bucketMs);
  };
}

/**
 * Merges the load's per-second samples into the plan's buckets: requests and errors summed (so
 * totals and error ratios over any bucket-aligned span stay exact), p99 the highest of the merged
 * seconds (a latency spike still shows) and p50 their request-weighted mean.
 */
export function thinLoadSamples(samples: readonly LoadSample[], plan: ThinPlan): LoadSample[] {
  const parse = createIsoParser();
  const out: LoadSample[] = [];
  const keyOf = keyer(plan);
  let open:
    | { key: number; first: LoadSample; start: number; end: number; n: number; requests: number; errors: number; p50w: number; p50: number; p99: number }
    | undefined;
  const flush = () => {
    if (!open) return;
    if (open.n === 1) out.push(open.first);
    else {
      const p50 = open.requests > 0 ? open.p50w / open.requests : open.p50 / open.n;
      out.push({ t: open.first.t, seconds: (open.end - open.start) / 1000, requests: open.requests, errors: open.errors, p50, p99: open.p99 });
    }
    open = undefined;
  };
  for (const s of samples) {
    const start = parse(s.t);
    const key = keyOf(start);
    if (key === -1) {
      flush();
      out.push(s);
      continue;
    }
    if (open && open.key !== key) flush();
    const end = start + (s.seconds ?? 1) * 1000;
    if (!open) open = { key, first: s, start, end, n: 0, requests: 0, errors: 0, p50w: 0, p50: 0, p99: -Infinity };
    open.n++;
    open.end = Math.max(open.end, end);
    open.requests += s.requests;
    open.errors += s.errors;
    open.p50w += s.p50 * s.requests;
    open.p50 += s.p50;
    open.p99 = Math.max(open.p99, s.p99);
  }
  flush();
  return out;
}

/**
 * Keeps each bucket's lowest and highest point, in time order, and every point in a kept range:
 * a one-scrape spike in a day-long series still shows, which a mean would hide.
 */
export function thinPoints(points: readonly [number, number][], plan: ThinPlan): [number, number][] {
  const out: [number, number][] = [];
  const keyOf = keyer(plan);
  let key = Number.NaN;
  let lo = -1;
  let hi = -1;
  const flush = () => {
    if (lo === -1) return;
    const [a, b] = lo <= hi ? [lo, hi] : [hi, lo];
    out.push(points[a]!);
    if (b !== a) out.push(points[b]!);
    lo = hi = -1;
  };
  for (let i = 0; i < points.length; i++) {
    // Index access, not destructuring: the iterator protocol costs seconds over millions of points.
    const point = points[i]!;
    const k = keyOf(point[0] * 1000);
    if (k === -1) {
      flush();
      out.push(point);
      continue;
    }
    if (k !== key) {
      flush();
      key = k;
    }
    if (lo === -1 || point[1] < points[lo]![1]) lo = i;
    if (hi === -1 || point[1] > points[hi]![1]) hi = i;
  }
  flush();
  return out;
}
