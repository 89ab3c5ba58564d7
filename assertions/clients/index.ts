export { PrometheusClient, type PromSample, type PromSeries, type PromAlert, type PromRule, type PromRuleGroup, type PromTarget } from "./prometheus-client.js";
export { JaegerClient, type JaegerTrace, type JaegerSpan, type TraceSearch } from "./jaeger-client.js";
export { VictoriaLogsClient, type LogEntry } from "./victoria-logs-client.js";
export { LokiClient, type LokiEntry } from "./loki-client.js";
export { AlertmanagerClient, type AlertmanagerAlert } from "./alertmanager-client.js";
export { AlertReceiverClient, type Notification, type WebhookPayload, type WebhookAlert } from "./alert-receiver-client.js";
export { backendHttp, describeHttpError } from "./http.js";
