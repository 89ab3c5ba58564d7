import type { AxiosInstance } from "axios";
import { backendHttp, describeHttpError } from "./http.js";

export interface PromSample {
  metric: Record<string, string>;
  value: number;
  /** Evaluation time, seconds since the epoch. */
  time: number;
}

interface ApiResponse<T> {
  status: "success" | "error";
  data: T;
  errorType?: string;
  error?: string;
}

/** The Prometheus HTTP API (v1), as far as the harness uses it. */
export class PrometheusClient {
  private readonly http: AxiosInstance;

  constructor(readonly baseUrl: string) {
    this.http = backendHttp(baseUrl);
  }

  async query(expr: string, time?: Date): Promise<PromSample[]> {
    const params: Record<string, string> = { query: expr };
    if (time) params.time = String(time.getTime() / 1000);
    const data = await this.get<{ resultType: string; result: unknown }>("/api/v1/query", params);
    if (data.resultType === "scalar") {
      const [t, v] = data.result as [number, string];
      return [{ metric: {}, value: Number(v), time: t }];
    }
    if (data.resultType !== "vector") throw new Error(`Prometheus: query ${expr} returned a ${data.resultType}, expected an instant vector`);
    return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => ({
      metric: s.metric,
      value: Number(s.value[1]),
      time: s.value[0],
    }));
  }

  async targets(): Promise<{ job: string; health: string; lastError: string; scrapeUrl: string }[]> {
    const data = await this.get<{ activeTargets: { labels: Record<string, string>; health: string; lastError: string; scrapeUrl: string }[] }>("/api/v1/targets", { state: "active" });
    return data.activeTargets.map((t) => ({ job: t.labels.job ?? "", health: t.health, lastError: t.lastError, scrapeUrl: t.scrapeUrl }));
  }

  private async get<T>(path: string, params: Record<string, string>): Promise<T> {
    try {
      const response = await this.http.get<ApiResponse<T>>(path, { params });
      if (response.data.status !== "success") throw new Error(`Prometheus ${path}: ${response.data.errorType}: ${response.data.error}`);
      return response.data.data;
    } catch (err) {
      throw describeHttpError("Prometheus", err);
    }
  }
}
