import { iso } from "./utils/times.js";

/** One request the load generator sent, with the W3C trace id it carried. */
export interface LoadRequest {
  traceId: string;
  sentAt: Date;
  /** HTTP status, 0 when no answer came (timeout, refused, reset). */
  status: number;
  latencyMs: number;
}

export interface Coverage {
  /** Answered load requests in the window whose trace reached the backend (of those checked). */
  found: number;
  checked: number;
  /** Answered load requests in the window; `checked` is all of them or an even sample. */
  answered: number;
  ratio: number;
  min: number;
  /** The requests counted: sent in [from, to] and answered by to. */
  from: string;
  to: string;
}

/** Enough lookups to tell 80 % from 0.1 % with room to spare, few enough to stay cheap. */
export const MAX_CHECKED = 200;
export const DEFAULT_MIN_COVERAGE = 0.8;

/**
 * The requests the backend must have seen: sent in [from, to] and answered by `to` with an HTTP
 * status. A request that got no answer may never have reached the service, so it is not counted
 * against the pipeline. Evenly spread when there are more than `max`.
 */
export function answeredRequests(requests: readonly LoadRequest[], from: Date, to: Date, max = MAX_CHECKED): { answered: number; sample: LoadRequest[] } {
  const inWindow = requests.filter((r) => r.status > 0 && r.sentAt >= from && r.sentAt.getTime() + r.latencyMs <= to.getTime());
  if (inWindow.length <= max) return { answered: inWindow.length, sample: inWindow };
  const step = inWindow.length / max;
  return { answered: inWindow.length, sample: Array.from({ length: max }, (_, i) => inWindow[Math.floor(i * step)]!) };
}

/** What share of the load's answered requests in the window reached the backend, looked up by trace id. */
export async function measureCoverage(
  requests: readonly LoadRequest[],
  from: Date,
  to: Date,
  min: number,
  present: (ids: string[]) => Promise<Set<string>>,
): Promise<Coverage> {
  const { answered, sample } = answeredRequests(requests, from, to);
  const found = sample.length ? (await present(sample.map((r) => r.traceId))).size : 0;
  return { found, checked: sample.length, answered, ratio: sample.length ? found / sample.length : 0, min, from: iso(from), to: iso(to) };
}

/** "41 of 200 sampled (of 1 190 answered) load requests reached Jaeger (20.5 %, at least 80 % required)" */
export function describeCoverage(c: Coverage, backend: string): string {
  const of = c.checked < c.answered ? `${c.checked} sampled (of ${c.answered} answered)` : `${c.checked} answered`;
  return `${c.found} of ${of} load requests reached ${backend} (${(c.ratio * 100).toFixed(1)} %, at least ${(c.min * 100).toFixed(0)} % required)`;
}

/** Looks trace ids up a few at a time. */
export async function presentEach(ids: string[], has: (id: string) => Promise<boolean>, concurrency = 8): Promise<Set<string>> {
  const found = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      if (await has(id)) found.add(id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return found;
}
