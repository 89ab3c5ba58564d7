import type { Capability, ComponentInfo, Endpoints, ProcessControl, RuleFile, StartedEnvironment } from "../../core/environment.js";
import { localProcessControl } from "./component-control.js";
import type { PortName } from "./components/component-context.js";
import { adminConnectionString } from "./components/postgres.js";
import { stopStack } from "./stale-runs.js";
import { applyRuleFiles } from "./rule-files.js";
import { readState, type StackState } from "./stack-state.js";

export class StartedLocalEnvironment implements StartedEnvironment {
  readonly provider = "local";
  readonly capabilities: readonly Capability[];
  readonly processes: ProcessControl;
  /** Read once: the password file goes with the run directory when the stack stops. */
  private readonly postgres: string | undefined;

  constructor(
    private readonly runDir: string,
    private readonly ports: Record<PortName, number>,
    private readonly components: ComponentInfo[],
    private readonly state: StackState,
    private readonly startMs: number,
    private readonly parts: { dbProxy: boolean; database?: { database: string; role: string }; apiUrl?: string },
  ) {
    this.capabilities = ["processes", ...(parts.database ? (["postgres"] as const) : []), ...(parts.dbProxy ? (["toxiproxy"] as const) : [])];
    this.processes = localProcessControl(runDir);
    this.postgres = parts.database ? adminConnectionString(runDir, ports.postgres, parts.database.database) : undefined;
  }

  getEndpoints(): Endpoints {
    const url = (port: PortName) => `http://127.0.0.1:${this.ports[port]}`;
    return {
      api: this.parts.apiUrl ?? url("api"),
      prometheus: url("prometheus"),
      alertmanager: url("alertmanager"),
      jaeger: url("jaegerQuery"),
      logs: url("victoriaLogs"),
      logsBackend: "victorialogs",
      collector: url("collectorOtlpHttp"),
      postgres: this.postgres ?? "",
      ...(this.parts.database ? { postgresRole: this.parts.database.role } : {}),
      alertReceiver: url("alertReceiver"),
      ...(this.parts.dbProxy ? { toxiproxy: url("toxiproxy") } : {}),
      runDir: this.runDir,
    };
  }

  getState(): StackState {
    return this.state;
  }

  getComponents(): ComponentInfo[] {
    return this.components;
  }

  /** Wall-clock time from start() to every component answering ready. */
  getStartMs(): number {
    return this.startMs;
  }

  /** Swaps the stack's alerting and recording rules, e.g. for time-compressed copies, and reloads Prometheus. */
  async applyRules(files: RuleFile[]): Promise<void> {
    await applyRuleFiles(this.runDir, this.getEndpoints().prometheus, files);
  }

  async stop(options: { keepRunDir?: boolean } = {}): Promise<void> {
    // Process faults may have restarted components since start(); the state file has their new pids.
    await stopStack(this.runDir, readState(this.runDir) ?? this.state, options);
  }
}
