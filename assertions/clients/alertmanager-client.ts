import type { AxiosInstance } from "axios";
import { backendHttp, describeHttpError } from "./http.js";

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** RFC 3339; Prometheus sends the time the alert started firing. */
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  fingerprint: string;
  status: { state: "active" | "suppressed" | "unprocessed"; silencedBy: string[]; inhibitedBy: string[] };
  receivers: { name: string }[];
}

/** Alertmanager's API v2. */
export class AlertmanagerClient {
  private readonly http: AxiosInstance;

  constructor(readonly baseUrl: string, timeoutMs = 5000) {
    this.http = backendHttp(baseUrl, timeoutMs);
  }

  /** Alerts Alertmanager holds now, filtered by exact label matches. Resolved alerts are not listed. */
  async alerts(labels: Record<string, string> = {}): Promise<AlertmanagerAlert[]> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(labels)) params.append("filter", `${name}=${JSON.stringify(value)}`);
    try {
      return (await this.http.get<AlertmanagerAlert[]>("/api/v2/alerts", { params })).data;
    } catch (err) {
      throw describeHttpError("Alertmanager", err);
    }
  }
}
