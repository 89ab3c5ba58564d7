import { randomBytes } from "node:crypto";
import type { ResolvedRequest } from "./request-sources.js";
import { render, type ParamValue } from "./request-template.js";

/** A small deterministic PRNG (mulberry32): the same seed gives the same templates, parameters and patients, run after run. */
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
  /** Templates with their secrets read and text compiled (request-sources.ts). */
  requests: readonly ResolvedRequest[];
  /** How many patients the built-in {patient} draws from. */
  patients: number;
  seed: number;
}

/** The query parameter that carries a request's trace id, so each result maps back to its trace exactly. */
export const TRACE_PARAM = "slo_harness_trace";

/** Random bytes fetched this many at a time: one call to the system's generator per thousands of ids, not two per request. */
const RANDOM_POOL_BYTES = 64 * 1024;

/** Trace and span ids, cut from a pool of cryptographic random bytes refilled when used up. */
class RandomIds {
  private pool = Buffer.alloc(0);
  private at = 0;

  hex(bytes: number): string {
    if (this.at + bytes > this.pool.length) {
      this.pool = randomBytes(RANDOM_POOL_BYTES);
      this.at = 0;
    }
    this.at += bytes;
    return this.pool.toString("hex", this.at - bytes, this.at);
  }
}

/** A body without placeholders is encoded once, not per request. */
function staticBody(body: ResolvedRequest["body"]): string | undefined {
  if (!body) return undefined;
  if ("base64" in body) return body.base64;
  if (body.pieces.length === 0) return "";
  if (body.pieces.length === 1 && typeof body.pieces[0] === "string") return Buffer.from(body.pieces[0]).toString("base64");
  return undefined;
}

/**
 * Vegeta targets (its JSON format: method, url, header of lists, body in base64), one line per
 * request, made only when Vegeta asks for the next, so a run of any length holds no list of them.
 * Templates are picked by weight and parameters drawn with a seeded PRNG, so a run is reproducible;
 * a CSV gives one row per request to all its columns. Each request has a fresh W3C traceparent.
 */
export class TargetStream {
  private readonly random: () => number;
  private readonly patientWeights: number[];
  private readonly templateWeights: number[];
  private readonly bodies: (string | undefined)[];
  /** Trace id to template name, for requests written but not yet answered: at most what is in flight or buffered. */
  private readonly pending = new Map<string, string>();
  private readonly ids = new RandomIds();

  constructor(private readonly options: TargetOptions) {
    this.random = mulberry32(options.seed);
    let total = 0;
    this.patientWeights = Array.from({ length: options.patients }, (_, i) => (total += 1 / (i + 1)));
    let sum = 0;
    this.templateWeights = options.requests.map((r) => (sum += r.weight));
    if (!(sum > 0)) throw new Error("load.requests: every weight is 0, so no request would be sent; give at least one a weight above 0");
    this.bodies = options.requests.map((r) => staticBody(r.body));
  }

  /** The first index whose cumulative weight passes x. */
  private static search(cumulative: readonly number[], x: number): number {
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private patient(): string {
    const n = TargetStream.search(this.patientWeights, this.random() * this.patientWeights.at(-1)!);
    return `P${String(n + 1).padStart(6, "0")}`;
  }

  /** One value per parameter per request, so a placeholder used twice gets the same value in both places. */
  private draw(request: ResolvedRequest): (name: string) => ParamValue {
    const values = new Map<string, ParamValue>();
    const rows = new Map<string, number>();
    return (name) => {
      const known = values.get(name);
      if (known !== undefined) return known;
      const source = request.params[name]!;
      let value: ParamValue;
      if (source.kind === "patient") value = this.patient();
      else if (source.kind === "range") value = source.from + Math.floor(this.random() * (source.to - source.from + 1));
      else if (source.kind === "list") value = source.values[Math.floor(this.random() * source.values.length)]!;
      else {
        const row = rows.get(source.file) ?? Math.floor(this.random() * source.values.length);
        rows.set(source.file, row);
        value = source.values[row]!;
      }
      values.set(name, value);
      return value;
    };
  }

  next(): string {
    // One template draws nothing, so a plain `path:` load sends the same patients as before templates.
    const index = this.templateWeights.length === 1 ? 0 : TargetStream.search(this.templateWeights, this.random() * this.templateWeights.at(-1)!);
    const request = this.options.requests[index]!;
    const value = this.draw(request);
    const traceId = this.ids.hex(16);
    const spanId = this.ids.hex(8);
    const path = render(request.path, value);
    const separator = path.includes("?") ? "&" : "?";
    const header: Record<string, string[]> = { traceparent: [`00-${traceId}-${spanId}-01`] };
    for (const [name, pieces] of request.headers) header[name] = [render(pieces, value)];
    const body =
      this.bodies[index] ?? (request.body && "pieces" in request.body ? Buffer.from(render(request.body.pieces, value)).toString("base64") : undefined);
    this.pending.set(traceId, request.name);
    return JSON.stringify({
      method: request.method,
      url: `${this.options.baseUrl}${path}${separator}${TRACE_PARAM}=${traceId}`,
      header,
      ...(body !== undefined ? { body } : {}),
    });
  }

  /** The template a request came from, by its trace id; forgotten once asked. */
  templateOf(traceId: string | undefined): string | undefined {
    if (traceId === undefined) return undefined;
    const name = this.pending.get(traceId);
    this.pending.delete(traceId);
    return name;
  }

  /** At a stage's end: targets written that Vegeta never sent will get no result. */
  forgetUnanswered(): void {
    this.pending.clear();
  }
}

const TRACE_IN_URL = new RegExp(`[?&]${TRACE_PARAM}=([0-9a-f]{32})`);

export function traceIdOf(url: string): string | undefined {
  const match = TRACE_IN_URL.exec(url);
  return match?.[1];
}
