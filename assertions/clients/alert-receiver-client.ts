import type { AxiosInstance } from "axios";
import { backendHttp, describeHttpError } from "./http.js";

/** One alert inside Alertmanager's webhook payload. */
export interface WebhookAlert {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  fingerprint?: string;
}

/** Alertmanager's webhook JSON (version 4). */
export interface WebhookPayload {
  status: "firing" | "resolved";
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  alerts: WebhookAlert[];
}

export interface Notification {
  /** When the harness's receiver got it, RFC 3339: the moment a human would have been paged. */
  receivedAt: string;
  payload: WebhookPayload;
}

/** The harness's own Alertmanager webhook receiver (env/local/alert-receiver). */
export class AlertReceiverClient {
  private readonly http: AxiosInstance;

  constructor(
    readonly baseUrl: string,
    timeoutMs = 5000,
  ) {
    this.http = backendHttp(baseUrl, timeoutMs);
  }

  /** Every notification received so far, oldest first. */
  async notifications(): Promise<Notification[]> {
    try {
      return (await this.http.get<Notification[]>("/notifications")).data;
    } catch (err) {
      throw describeHttpError("alert receiver", err);
    }
  }
}
