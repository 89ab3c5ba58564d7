import { randomBytes } from "node:crypto";

/** A small deterministic PRNG (mulberry32): the same seed gives the same patient sequence, run after run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TargetOptions {
  baseUrl: string;
  /** Path template; `{patient}` becomes a patient id. */
  path: string;
  patients: number;
  seed: number;
}

/** The query parameter that carries a request's trace id, so each result maps back to its trace exactly. */
export const TRACE_PARAM = "slo_harness_trace";

/**
 * Vegeta targets (its JSON format), one per request, each with a fresh W3C traceparent.
 * Patients are drawn with a Zipf-like skew: a few hot patients, a long tail, as clinics do.
 */
export class TargetStream {
  private readonly random: () => number;
  private readonly weights: number[];

  constructor(private readonly options: TargetOptions) {
    this.random = mulberry32(options.seed);
    let total = 0;
    this.weights = Array.from({ length: options.patients }, (_, i) => (total += 1 / (i + 1)));
  }

  private patient(): string {
    const total = this.weights[this.weights.length - 1]!;
    const x = this.random() * total;
    let lo = 0;
    let hi = this.weights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.weights[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return `P${String(lo + 1).padStart(6, "0")}`;
  }

  next(): string {
    const traceId = randomBytes(16).toString("hex");
    const spanId = randomBytes(8).toString("hex");
    const path = this.options.path.replace("{patient}", this.patient());
    const separator = path.includes("?") ? "&" : "?";
    return JSON.stringify({
      method: "GET",
      url: `${this.options.baseUrl}${path}${separator}${TRACE_PARAM}=${traceId}`,
      header: { traceparent: [`00-${traceId}-${spanId}-01`] },
    });
  }
}

export function traceIdOf(url: string): string | undefined {
  const match = new RegExp(`[?&]${TRACE_PARAM}=([0-9a-f]{32})`).exec(url);
  return match?.[1];
}
