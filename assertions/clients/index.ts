export { PrometheusClient, type PromSample } from "./prometheus-client.js";
export { JaegerClient, type JaegerTrace, type JaegerSpan, type TraceSearch } from "./jaeger-client.js";
export { VictoriaLogsClient, type LogEntry } from "./victoria-logs-client.js";
