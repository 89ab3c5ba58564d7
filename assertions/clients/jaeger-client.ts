import type { AxiosInstance } from "axios";
import type { BackendAccess } from "../../core/backend-auth.js";
import { backendHttp, describeHttpError } from "./http.js";

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  /** Microseconds since the epoch. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: { key: string; type: string; value: unknown }[];
  processID: string;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: { key: string; value: unknown }[] }>;
}

export interface TraceSearch {
  service: string;
  operation?: string;
  /** Jaeger's tag filter, e.g. { error: "true" }. */
  tags?: Record<string, string>;
  minDuration?: string;
  start?: Date;
  end?: Date;
  limit?: number;
}

/** Jaeger's query HTTP API (the one its UI uses). */
export class JaegerClient {
  private readonly http: AxiosInstance;

  constructor(
    readonly baseUrl: string,
    timeoutMs = 5000,
    access?: BackendAccess,
  ) {
    this.http = backendHttp(baseUrl, timeoutMs, access);
  }

  async services(): Promise<string[]> {
    return (await this.get<string[] | null>("/api/services", {})) ?? [];
  }

  /** Operation (span) names Jaeger has seen for a service. */
  async operations(service: string): Promise<string[]> {
    return (await this.get<string[] | null>(`/api/services/${encodeURIComponent(service)}/operations`, {})) ?? [];
  }

  async findTraces(search: TraceSearch): Promise<JaegerTrace[]> {
    const params: Record<string, string> = { service: search.service, limit: String(search.limit ?? 20) };
    if (search.operation) params.operation = search.operation;
    if (search.tags) params.tags = JSON.stringify(search.tags);
    if (search.minDuration) params.minDuration = search.minDuration;
    if (search.start) params.start = String(search.start.getTime() * 1000);
    if (search.end) params.end = String(search.end.getTime() * 1000);
    return (await this.get<JaegerTrace[] | null>("/api/traces", params)) ?? [];
  }

  /** A trace by id, or undefined while Jaeger has not received it. */
  async getTrace(traceId: string): Promise<JaegerTrace | undefined> {
    try {
      const response = await this.http.get<{ data: JaegerTrace[] }>(`/api/traces/${traceId}`);
      return response.data.data[0];
    } catch (err) {
      if ((err as { response?: { status?: number } }).response?.status === 404) return undefined;
      throw describeHttpError("Jaeger", err);
    }
  }

  private async get<T>(path: string, params: Record<string, string>): Promise<T> {
    try {
      return (await this.http.get<{ data: T }>(path, { params })).data.data;
    } catch (err) {
      throw describeHttpError("Jaeger", err);
    }
  }
}
