import type { AxiosInstance } from "axios";
import type { BackendAccess } from "../../core/backend-auth.js";
import { backendHttp, describeHttpError } from "./http.js";

export interface PromSample {
  metric: Record<string, string>;
  value: number;
  /** Evaluation time, seconds since the epoch. */
  time: number;
}

export interface PromSeries {
  metric: Record<string, string>;
  /** [seconds since the epoch, value], in time order. */
  values: [number, number][];
}

export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: "pending" | "firing" | "inactive";
  /** When the alert became pending, RFC 3339. */
  activeAt: string;
  value: string;
}

export interface PromRule {
  name: string;
  type: "alerting" | "recording";
  /** The rule's expression. */
  query: string;
  labels?: Record<string, string>;
  health: "ok" | "err" | "unknown";
  lastError?: string;
  /** Alerting rules: the `for` hold, in seconds. */
  duration?: number;
  lastEvaluation?: string;
}

export interface PromRuleGroup {
  name: string;
  file: string;
  /** Seconds. */
  interval: number;
  lastEvaluation?: string;
  rules: PromRule[];
}

export interface PromTarget {
  job: string;
  labels: Record<string, string>;
  health: "up" | "down" | "unknown";
  lastError: string;
  scrapeUrl: string;
  lastScrape: string;
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

  constructor(
    readonly baseUrl: string,
    timeoutMs = 5000,
    access?: BackendAccess,
  ) {
    this.http = backendHttp(baseUrl, timeoutMs, access);
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

  /** The expression evaluated at every step in [start, end]; steps are aligned to `start`. */
  async queryRange(expr: string, start: Date, end: Date, stepSeconds: number): Promise<PromSeries[]> {
    const params = { query: expr, start: String(start.getTime() / 1000), end: String(end.getTime() / 1000), step: String(stepSeconds) };
    const data = await this.get<{ resultType: string; result: unknown }>("/api/v1/query_range", params);
    if (data.resultType !== "matrix") throw new Error(`Prometheus: query_range ${expr} returned a ${data.resultType}, expected a matrix`);
    return (data.result as { metric: Record<string, string>; values: [number, string][] }[]).map((s) => ({
      metric: s.metric,
      values: s.values.map(([t, v]) => [t, Number(v)] as [number, number]),
    }));
  }

  async targets(): Promise<PromTarget[]> {
    return (await this.allTargets("active")).active;
  }

  /** Active targets and the ones service discovery found but relabelling dropped (their discovered labels). */
  async allTargets(state: "active" | "any" = "any"): Promise<{ active: PromTarget[]; dropped: Record<string, string>[] }> {
    const data = await this.get<{
      activeTargets: { labels: Record<string, string>; health: PromTarget["health"]; lastError: string; scrapeUrl: string; lastScrape: string }[];
      droppedTargets?: { discoveredLabels: Record<string, string> }[];
    }>("/api/v1/targets", { state });
    return {
      active: data.activeTargets.map((t) => ({
        job: t.labels.job ?? "",
        labels: t.labels,
        health: t.health,
        lastError: t.lastError,
        scrapeUrl: t.scrapeUrl,
        lastScrape: t.lastScrape,
      })),
      dropped: (data.droppedTargets ?? []).map((t) => t.discoveredLabels),
    };
  }

  /** Values of one label across every series Prometheus holds, e.g. every metric name for `__name__`. */
  async labelValues(label: string, match?: string): Promise<string[]> {
    return this.get<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values`, match ? { "match[]": match } : {});
  }

  /** Pending and firing alerts, as the rule manager holds them now. */
  async alerts(): Promise<PromAlert[]> {
    return (await this.get<{ alerts: PromAlert[] }>("/api/v1/alerts", {})).alerts;
  }

  async ruleGroups(): Promise<PromRuleGroup[]> {
    return (await this.get<{ groups: PromRuleGroup[] }>("/api/v1/rules", {})).groups;
  }

  /** A link to the expression in Prometheus' own graph page. */
  graphUrl(expr: string, rangeSeconds?: number): string {
    const params = new URLSearchParams({ "g0.expr": expr, "g0.tab": "0" });
    if (rangeSeconds) params.set("g0.range_input", `${Math.max(60, Math.ceil(rangeSeconds))}s`);
    return `${this.baseUrl}/graph?${params.toString()}`;
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
