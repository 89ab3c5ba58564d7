/**
 * Where a started system can be reached. URLs are on 127.0.0.1 for every provider, except the
 * testcontainers provider's alert receiver, which listens on the gateway of the Docker network
 * the harness made, so Alertmanager's container can reach it.
 */
export interface Endpoints {
  api: string;
  prometheus: string;
  alertmanager: string;
  jaeger: string;
  /** Log backend query URL; see logsBackend for its query language. */
  logs: string;
  logsBackend: "victorialogs" | "loki";
  collector: string;
  /** libpq connection string of the target's database. */
  postgres: string;
  /** The harness's Alertmanager webhook receiver, where pages land. */
  alertReceiver: string;
  /** Toxiproxy's API, when the API's database traffic goes through it. */
  toxiproxy?: string;
  /** The cluster the target runs on (kind and existing providers): for the events probe and pod faults. */
  kubernetes?: KubernetesAccess;
  runDir: string;
}

/** A cluster the harness may watch, and disrupt only in the namespaces named here. */
export interface KubernetesAccess {
  /** Path of a kubeconfig file. */
  kubeconfig: string;
  /** The kubeconfig context to use; the file's current context when absent. */
  context?: string;
  /** Namespaces pod faults may touch; a fault's namespace must also be in the experiment's allowlist. */
  chaosNamespaces: readonly string[];
}

export type ComponentName =
  | "postgres"
  | "victoria-logs"
  | "jaeger"
  | "alert-receiver"
  | "alertmanager"
  | "otel-collector"
  | "genomics-api"
  | "prometheus"
  | "toxiproxy"
  | "kubernetes";

export interface ComponentInfo {
  name: ComponentName;
  version: string;
  pid?: number;
  logFile?: string;
}

/** A Prometheus rule file by name and content. */
export interface RuleFile {
  name: string;
  content: string;
}

export interface StartedEnvironment {
  readonly provider: string;
  getEndpoints(): Endpoints;
  getComponents(): ComponentInfo[];
  /** Replaces the stack's Prometheus rule files (e.g. with time-compressed copies) and reloads them. */
  applyRules(files: RuleFile[]): Promise<void>;
  stop(): Promise<void>;
}

export interface Environment {
  readonly provider: string;
  start(): Promise<StartedEnvironment>;
}
