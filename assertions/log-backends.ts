import type { Endpoints } from "../core/environment.js";
import { LokiClient, VictoriaLogsClient } from "./clients/index.js";
import type { LogBackend } from "./log-backend.js";
import { LokiBackend } from "./loki-backend.js";
import { VictoriaLogsBackend } from "./victoria-logs-backend.js";

/** The log store the environment runs, in the query language it speaks. */
export function logBackendFor(endpoints: Endpoints, timeoutMs?: number): LogBackend {
  return endpoints.logsBackend === "loki"
    ? new LokiBackend(new LokiClient(endpoints.logs, timeoutMs, endpoints.access?.logs))
    : new VictoriaLogsBackend(new VictoriaLogsClient(endpoints.logs, timeoutMs, endpoints.access?.logs));
}
