import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { VersionApi } from "@kubernetes/client-node";
import type { ComponentInfo, Endpoints, Environment, KubernetesAccess, RuleFile, StartedEnvironment, Capability } from "../../core/environment.js";
import { startAlertReceiverAt } from "../shared/alert-receiver/start-alert-receiver.js";
import { freePort } from "../shared/free-port.js";
import { stopProcess, type RunningProcess } from "../shared/managed-process.js";
import { apiMessage, loadKubeConfig } from "../../core/kube-config.js";
import { readSecret, resolveBackendAccess } from "../../core/backend-auth.js";
import { NO_OPERATOR_GUARDS, type OperatorGuards } from "../../core/operator-guards.js";
import { BadInputError } from "../../core/errors.js";
import { guardContext } from "./context-guard.js";
import type { HarnessMetricsEndpoint, HarnessMetricsListener } from "../provider-kind.js";
import { defaultKubeconfig, expandHome, splitHostPort, type ExistingOptions } from "./existing-options.js";

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

/**
 * A deployment someone else runs: the harness brings nothing up but its alert receiver (on
 * env.options.alertReceiver, where the deployment's Alertmanager pages it), and touches the
 * cluster only through pod faults in the namespaces it was given.
 */
export class ExistingEnvironment implements Environment {
  readonly provider = "existing";

  /** The guards come from the operator (command line, operator config), never from the experiment's options. */
  constructor(
    private readonly options: ExistingOptions,
    private readonly guards: OperatorGuards = NO_OPERATOR_GUARDS,
    /** The target's url, when the experiment gives the API's address there rather than in endpoints.api. */
    private readonly targetUrl?: string,
    /** The harness's own metrics, served on env.options.harnessMetrics for the deployment's Prometheus. */
    private readonly harnessMetrics?: HarnessMetricsEndpoint,
  ) {}

  async start(): Promise<StartedEnvironment> {
    const o = this.options;
    const api = this.targetUrl ?? o.endpoints.api;
    if (!api) throw new BadInputError("env.options.endpoints.api: expected the URL of the API under load, or a target with url:");
    if (!LOOPBACK.test(api)) {
      throw new BadInputError(
        `env.options.endpoints.api: ${api} is not on this machine; the harness sends load only to loopback, so port-forward the API ` +
          `(e.g. kubectl port-forward -n shop svc/checkout-api 8080:8080) and give http://127.0.0.1:8000`,
      );
    }
    const kubernetes: KubernetesAccess = {
      kubeconfig: expandHome(o.kubeconfig ?? defaultKubeconfig()),
      ...(o.context ? { context: o.context } : {}),
      chaosNamespaces: this.guards.chaosNamespaces,
      allowSystemNamespaces: this.guards.allowSystemNamespaces,
    };
    const kc = await loadKubeConfig(kubernetes);
    const cluster = kc.getCurrentCluster()!;
    guardContext(kc.getCurrentContext(), cluster.name, this.guards);
    let version: string;
    try {
      version = (await kc.makeApiClient(VersionApi).getCode()).gitVersion;
    } catch (err) {
      throw new Error(`the API server of context "${kc.getCurrentContext()}" (${cluster.server}) did not answer /version: ${apiMessage(err)}`, { cause: err });
    }
    const runDir = mkdtempSync(path.join(os.tmpdir(), "slo-harness-existing-"));
    mkdirSync(path.join(runDir, "logs"));
    const processes: RunningProcess[] = [];
    let metricsListener: HarnessMetricsListener | undefined;
    try {
      const [host, port] = o.alertReceiver ? splitHostPort(o.alertReceiver) : ["127.0.0.1", await freePort()];
      const receiver = await startAlertReceiverAt({ runDir, host, port, track: (p) => processes.push(p) }).catch((err: unknown) => {
        throw new Error(
          `env.options.alertReceiver: the harness's alert receiver could not listen on ${host}:${port} (${(err as Error).message}); give an address of this machine that is free`,
          { cause: err },
        );
      });
      if (o.harnessMetrics && this.harnessMetrics) {
        metricsListener = await this.harnessMetrics.listen(...splitHostPort(o.harnessMetrics)).catch((err: unknown) => {
          throw new Error(`env.options.harnessMetrics: ${(err as Error).message}; give an address of this machine that is free`, { cause: err });
        });
      }
      const e = o.endpoints;
      const access = Object.fromEntries(
        Object.entries(o.auth ?? {}).flatMap(([backend, spec]) => (spec ? [[backend, resolveBackendAccess(spec, `env.options.auth.${backend}`)]] : [])),
      );
      const endpoints: Endpoints = {
        api,
        prometheus: e.prometheus,
        alertmanager: e.alertmanager,
        jaeger: e.jaeger ?? "",
        logs: e.logs ?? "",
        logsBackend: e.logsBackend,
        collector: e.collector ?? "",
        postgres: e.postgres ? withPassword(e.postgres, o.postgresPassword) : "",
        alertReceiver: receiver.url,
        kubernetes,
        access,
        runDir,
      };
      return new StartedExistingEnvironment(endpoints, [receiver.info, { name: "kubernetes", version }], processes, metricsListener);
    } catch (err) {
      await Promise.all(processes.map((p) => stopProcess(p.record)));
      await metricsListener?.close();
      rmSync(runDir, { recursive: true, force: true });
      throw err;
    }
  }
}

export class StartedExistingEnvironment implements StartedEnvironment {
  readonly provider = "existing";
  readonly capabilities: readonly Capability[];

  constructor(
    private readonly endpoints: Endpoints,
    private readonly components: ComponentInfo[],
    private readonly harnessProcesses: RunningProcess[],
    private readonly metricsListener?: HarnessMetricsListener,
  ) {
    this.capabilities = ["kubernetes", ...(endpoints.postgres ? (["postgres"] as const) : [])];
  }

  getEndpoints(): Endpoints {
    return this.endpoints;
  }

  getComponents(): ComponentInfo[] {
    return this.components;
  }

  /** The deployment's Prometheus keeps its own rules; the runner refuses compressed rules here before the run. */
  async applyRules(_files: RuleFile[]): Promise<void> {}

  async stop(): Promise<void> {
    await Promise.all(this.harnessProcesses.map((p) => stopProcess(p.record)));
    await this.metricsListener?.close();
    rmSync(this.endpoints.runDir, { recursive: true, force: true });
  }
}

/** The password read from postgresPassword, put into the connection string in memory only (reports redact it). */
function withPassword(connection: string, passwordRef: string | undefined): string {
  if (!passwordRef) return connection;
  const password = readSecret(passwordRef, "env.options.postgresPassword");
  if (/^postgres(ql)?:\/\//i.test(connection)) {
    const url = new URL(connection);
    url.password = password;
    return url.toString();
  }
  return `${connection} password='${password.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
