import type { LoadResult } from "../core/report-schema.js";

/** One result line of `vegeta encode --to json`. */
export interface VegetaResult {
  attack: string;
  seq: number;
  code: number;
  timestamp: string;
  /** Nanoseconds. */
  latency: number;
  error: string;
  url: string;
}

export interface SentRequest {
  traceId: string;
  sentAt: Date;
  status: number;
  latencyMs: number;
}

interface Bucket {
  requests: number;
  errors: number;
  latencies: number[];
}

function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** A request failed when it got no answer (timeout, refused) or a server error. */
export function isFailure(status: number): boolean {
  return status === 0 || status >= 500;
}

/** Aggregates streamed results: totals, status codes, latency percentiles and one-second buckets. */
export class LoadCollector {
  private requests = 0;
  private errors = 0;
  private latencies = new Float64Array(1024);
  private readonly statusCodes: Record<string, number> = {};
  private readonly buckets = new Map<number, Bucket>();
  private readonly sent: SentRequest[] = [];
  /** Per request template (its name, or "METHOD /path"): two counters each, whatever the run's length. */
  private readonly templates = new Map<string, { requests: number; errors: number }>();
  private firstAt: number | undefined;
  private lastAt: number | undefined;

  add(result: VegetaResult, traceId: string | undefined, template?: string): void {
    const at = Date.parse(result.timestamp);
    const latencyMs = result.latency / 1e6;
    const failed = isFailure(result.code);
    if (this.requests === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.requests] = latencyMs;
    this.requests++;
    if (failed) this.errors++;
    const code = String(result.code);
    this.statusCodes[code] = (this.statusCodes[code] ?? 0) + 1;
    const second = Math.floor(at / 1000);
    const bucket = this.buckets.get(second) ?? { requests: 0, errors: 0, latencies: [] };
    bucket.requests++;
    if (failed) bucket.errors++;
    bucket.latencies.push(latencyMs);
    this.buckets.set(second, bucket);
    this.firstAt = Math.min(this.firstAt ?? at, at);
    this.lastAt = Math.max(this.lastAt ?? at, at + latencyMs);
    if (template !== undefined) {
      const counts = this.templates.get(template) ?? { requests: 0, errors: 0 };
      counts.requests++;
      if (failed) counts.errors++;
      this.templates.set(template, counts);
    }
    if (traceId) this.sent.push({ traceId, sentAt: new Date(at), status: result.code, latencyMs });
  }

  sentRequests(): readonly SentRequest[] {
    return this.sent;
  }

  /** Requests and errors per template, for reports to show which kind of request failed. */
  byTemplate(): Record<string, { requests: number; errors: number }> {
    return Object.fromEntries([...this.templates].map(([name, counts]) => [name, { ...counts }]));
  }

  totals(): { requests: number; errors: number } {
    return { requests: this.requests, errors: this.errors };
  }

  result(scenario: string, target: string): Omit<LoadResult, "thresholds"> {
    const sorted = this.latencies.slice(0, this.requests).sort();
    const seconds = this.firstAt !== undefined && this.lastAt !== undefined ? Math.max(1, (this.lastAt - this.firstAt) / 1000) : 1;
    const samples = [...this.buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([second, b]) => {
        const s = Float64Array.from(b.latencies).sort();
        return { t: new Date(second * 1000).toISOString(), requests: b.requests, errors: b.errors, p50: percentile(s, 50), p99: percentile(s, 99) };
      });
    return {
      scenario,
      tool: "vegeta",
      target,
      requests: this.requests,
      errors: this.errors,
      errorRatio: this.requests ? this.errors / this.requests : 0,
      rps: this.requests / seconds,
      latency: {
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: sorted.length ? sorted[sorted.length - 1]! : 0,
      },
      statusCodes: { ...this.statusCodes },
      byRequest: this.byTemplate(),
      samples,
    };
  }
}
