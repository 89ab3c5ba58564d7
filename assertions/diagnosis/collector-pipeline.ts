import axios from "axios";
/** The collector's own word for what it counts: spans of traces, records of logs. */
export type TelemetryKind = "spans" | "log_records";

const PATH: Record<TelemetryKind, { path: string; body: object }> = {
  spans: { path: "/v1/traces", body: { resourceSpans: [] } },
  log_records: { path: "/v1/logs", body: { resourceLogs: [] } },
};

/**
 * Does the collector take this signal at all? Its OTLP/HTTP receiver answers an empty export
 * with 200 when a pipeline for the signal exists and 404 when none does; its counters cannot
 * tell, since they appear only once something has arrived. Undefined when it cannot be asked.
 */
export async function collectorTakes(collectorUrl: string | undefined, kind: TelemetryKind): Promise<boolean | undefined> {
  if (!collectorUrl) return undefined;
  const { path, body } = PATH[kind];
  const response = await axios.post(`${collectorUrl}${path}`, body, { proxy: false, timeout: 3000, validateStatus: () => true }).catch(() => undefined);
  if (!response) return undefined;
  if (response.status === 404) return false;
  return response.status >= 200 && response.status < 300 ? true : undefined;
}
