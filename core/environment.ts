import type { AuthBackend, BackendAccess } from "./backend-auth.js";

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
  /** libpq connection string of the target's database; empty when the stack runs none (no "postgres" capability). */
  postgres: string;
  /** The role the target connects to it as, when the stack made it: pool-exhaustion checks that role is refused. */
  postgresRole?: string;
  /** The harness's Alertmanager webhook receiver, where pages land. */
  alertReceiver: string;
  /** Toxiproxy's API, when the API's database traffic goes through it. */
  toxiproxy?: string;
  /** The cluster the target runs on (kind and existing providers): for the events probe and pod faults. */
  kubernetes?: KubernetesAccess;
  /** Credentials and TLS for backends behind auth (existing provider); in memory only, never reported. */
  access?: Partial<Record<AuthBackend, BackendAccess>>;
  runDir: string;
}

/** A cluster the harness may watch, and disrupt only in the namespaces named here. */
export interface KubernetesAccess {
  /** Path of a kubeconfig file. */
  kubeconfig: string;
  /** The kubeconfig context to use; the file's current context when absent. */
  context?: string;
  /** Namespaces pod faults may touch (the operator's, never the experiment's); a fault's namespace must also be in the experiment's allowlist. */
  chaosNamespaces: readonly string[];
  /** System namespaces the operator explicitly allowed chaos in (`--allow-system-namespace`). */
  allowSystemNamespaces?: readonly string[];
}

/** The scrape job under which a provider's Prometheus scrapes the harness's own metrics. */
export const HARNESS_SCRAPE_JOB = "slo-harness";

/** The Toxiproxy proxy every provider puts between the API and PostgreSQL, which network faults target. */
export const DB_PROXY_NAME = "postgres";

export type ComponentName =
  "postgres" | "victoria-logs" | "jaeger" | "alert-receiver" | "alertmanager" | "otel-collector" | "prometheus" | "toxiproxy" | "kubernetes";

export interface ComponentInfo {
  /** A stack component's name, or the experiment's target's. */
  name: ComponentName | (string & {});
  version: string;
  pid?: number;
  logFile?: string;
}

/** A Prometheus rule file by name and content. */
export interface RuleFile {
  name: string;
  content: string;
}

/**
 * What a provider can do besides answering on its endpoints. Injectors declare what they need,
 * so an experiment asking for more than its provider has is refused before anything starts.
 */
export const CAPABILITIES = ["processes", "containers", "kubernetes", "toxiproxy", "postgres", "rules"] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Components of the stack that run as a process or a container of their own. */
export const STACK_COMPONENTS = [
  "postgres",
  "otel-collector",
  "prometheus",
  "jaeger",
  "victoria-logs",
  "alertmanager",
  "toxiproxy",
] as const satisfies readonly ComponentName[];

/** A component's process as the stack recorded it: the leader of its process group. */
export interface ComponentProcess {
  name: string;
  pid: number;
  /** From /proc, so a reused pid is never mistaken for the component. */
  startTime: string;
}

/** Process-level control of a stack the harness runs as processes (capability "processes"). */
export interface ProcessControl {
  process(component: string): ComponentProcess;
  isRunning(component: string): boolean;
  /** To the component's whole process group (gunicorn workers, postgres backends). */
  signal(component: string, signal: "SIGSTOP" | "SIGCONT" | "SIGKILL"): void;
  /** Starts it again from its recorded command and waits for its health check. */
  restart(component: string): Promise<ComponentProcess>;
  /** Waits until the component answers its own health check. */
  waitHealthy(component: string, timeoutMs: number): Promise<void>;
}

/** The process control of the stack in a run directory: a later run undoes what a killed one left. */
export type ProcessControlAt = (runDir: string) => ProcessControl | undefined;

/** Container-level control of a stack run in Docker (capability "containers"). */
export interface ContainerControl {
  readonly components: readonly string[];
  containerId(component: string): string;
  /** The network the stack's containers share. */
  readonly network: string;
}

export interface StartedEnvironment {
  readonly provider: string;
  readonly capabilities: readonly Capability[];
  readonly processes?: ProcessControl;
  readonly containers?: ContainerControl;
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
