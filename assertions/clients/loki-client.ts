import type { AxiosInstance } from "axios";
import type { BackendAccess } from "../../core/backend-auth.js";
import { backendHttp, describeHttpError } from "./http.js";

/** One log line from Loki: its stream labels, nanosecond timestamp, line and structured metadata. */
export interface LokiEntry {
  labels: Record<string, string>;
  /** Nanoseconds since the epoch, as Loki sends it (a decimal string, beyond a double's precision). */
  ns: string;
  line: string;
  /** Loki 3 puts OTLP attributes such as trace_id here rather than in stream labels. */
  metadata: Record<string, string>;
}

interface StreamsResponse {
  status: string;
  data: { resultType: string; result: { stream: Record<string, string>; values: ([string, string] | [string, string, Record<string, string>])[] }[] };
}

/**
 * Loki's query API (`/loki/api/v1/query_range`, LogQL log queries). Loki is AGPL and not run on
 * this project's machines: this client is tested against a stubbed HTTP server only.
 */
export class LokiClient {
  private readonly http: AxiosInstance;

  constructor(
    readonly baseUrl: string,
    timeoutMs = 5000,
    access?: BackendAccess,
  ) {
    this.http = backendHttp(baseUrl, timeoutMs, access);
  }

  async queryRange(logql: string, options: { start: Date; end: Date; limit?: number }): Promise<LokiEntry[]> {
    const params = {
      query: logql,
      start: `${BigInt(options.start.getTime()) * 1_000_000n}`,
      end: `${BigInt(options.end.getTime()) * 1_000_000n}`,
      limit: String(options.limit ?? 100),
      // Oldest first: the first line is the first sighting.
      direction: "forward",
    };
    let body: StreamsResponse;
    try {
      body = (await this.http.get<StreamsResponse>("/loki/api/v1/query_range", { params })).data;
    } catch (err) {
      throw describeHttpError("Loki", err);
    }
    if (body.status !== "success") throw new Error(`Loki /loki/api/v1/query_range: status ${body.status}`);
    if (body.data.resultType !== "streams")
      throw new Error(`Loki: ${logql} returned ${body.data.resultType}, expected log streams (a log query, not a metric query)`);
    return body.data.result.flatMap((s) => s.values.map(([ns, line, metadata]) => ({ labels: s.stream, ns, line, metadata: metadata ?? {} })));
  }
}
