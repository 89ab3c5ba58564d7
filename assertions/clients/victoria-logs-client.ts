import type { AxiosInstance } from "axios";
import type { BackendAccess } from "../../core/backend-auth.js";
import { backendHttp, describeHttpError } from "./http.js";

/** One log entry as VictoriaLogs returns it: `_msg`, `_time`, `_stream` and every field of the record. */
export type LogEntry = Record<string, string>;

/** VictoriaLogs' LogsQL query API. */
export class VictoriaLogsClient {
  private readonly http: AxiosInstance;

  constructor(
    readonly baseUrl: string,
    timeoutMs = 5000,
    access?: BackendAccess,
  ) {
    this.http = backendHttp(baseUrl, timeoutMs, access);
  }

  async query(logsql: string, options: { start?: Date; end?: Date; limit?: number } = {}): Promise<LogEntry[]> {
    const params = new URLSearchParams({ query: logsql, limit: String(options.limit ?? 100) });
    if (options.start) params.set("start", options.start.toISOString());
    if (options.end) params.set("end", options.end.toISOString());
    try {
      // The answer is JSON lines, one entry each, not a JSON document.
      const response = await this.http.post<string>("/select/logsql/query", params, { responseType: "text" });
      return String(response.data)
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as LogEntry);
    } catch (err) {
      throw describeHttpError("VictoriaLogs", err);
    }
  }
}
