import type { AxiosInstance } from "axios";
import type { BackendAccess } from "../../core/backend-auth.js";
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

export interface AlertmanagerSilence {
  id: string;
  status: { state: "active" | "pending" | "expired" };
  comment: string;
  createdBy: string;
  matchers: { name: string; value: string; isRegex: boolean; isEqual?: boolean }[];
}

/** Alertmanager's API v2. */
export class AlertmanagerClient {
  private readonly http: AxiosInstance;

  constructor(
    readonly baseUrl: string,
    timeoutMs = 5000,
    access?: BackendAccess,
  ) {
    this.http = backendHttp(baseUrl, timeoutMs, access);
  }

  /** Alerts Alertmanager holds now, filtered by exact label matches. Resolved alerts are not listed. */
  async alerts(labels: Record<string, string> = {}): Promise<AlertmanagerAlert[]> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(labels)) params.append("filter", `${name}=${JSON.stringify(value)}`);
    return this.get<AlertmanagerAlert[]>("/api/v2/alerts", params);
  }

  /** The configuration Alertmanager runs with, as the YAML it loaded. */
  async configYaml(): Promise<string> {
    return (await this.get<{ config: { original: string } }>("/api/v2/status")).config.original;
  }

  async silences(): Promise<AlertmanagerSilence[]> {
    return this.get<AlertmanagerSilence[]>("/api/v2/silences");
  }

  private async get<T>(path: string, params?: URLSearchParams): Promise<T> {
    try {
      return (await this.http.get<T>(path, params ? { params } : {})).data;
    } catch (err) {
      throw describeHttpError("Alertmanager", err);
    }
  }
}
