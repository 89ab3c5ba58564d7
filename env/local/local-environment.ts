import { mkdirSync } from "node:fs";
import path from "node:path";
import type { ComponentInfo, Environment } from "../../core/environment.js";
import { freePorts } from "../shared/free-port.js";
import { stopProcess, type RunningProcess } from "../shared/managed-process.js";
import { PORT_NAMES, type ComponentContext, type StartedComponent } from "./components/component-context.js";
import { startPostgres } from "./components/postgres.js";
import { DEFAULT_POSTGRES_OPTIONS, type PostgresOptions } from "../shared/stack-options.js";
import { startVictoriaLogs } from "./components/victoria-logs.js";
import { startJaeger } from "./components/jaeger.js";
import { startAlertReceiver } from "./components/alert-receiver.js";
import { startAlertmanager } from "./components/alertmanager.js";
import { startOtelCollector } from "./components/otel-collector.js";
import { startServiceTarget } from "./components/service-target.js";
import { targetDatabase, type TargetModel } from "../../core/target-spec.js";
import { databaseEnvironment } from "../shared/target-database.js";
import { referenceTarget } from "../shared/reference-target.js";
import { startToxiproxy } from "./components/toxiproxy.js";
import { startPrometheus, type PrometheusOptions } from "./components/prometheus.js";
import { newRunDir, newState, writeState } from "./stack-state.js";
import { cleanStaleRuns } from "./stale-runs.js";
import { StartedLocalEnvironment } from "./started-local-environment.js";

/**
 * The embedded default: the target (the reference API unless the experiment declares its own),
 * its database when it asks for one, and the whole observability stack as real processes on
 * 127.0.0.1, each on a free port, no Docker needed.
 */
export class LocalEnvironment implements Environment {
  readonly provider = "local";
  private persistent = false;
  private postgres: PostgresOptions = { ...DEFAULT_POSTGRES_OPTIONS };
  private prometheus: PrometheusOptions = {};
  private dbProxy = false;
  private target: TargetModel = referenceTarget();
  private log: (line: string) => void = () => undefined;

  /** Keep the stack running after this process exits, until `slo-harness down`. */
  withPersistence(persistent = true): this {
    this.persistent = persistent;
    return this;
  }

  withPostgresMaxConnections(maxConnections: number): this {
    this.postgres.maxConnections = maxConnections;
    return this;
  }

  /**
   * The experiment's own service instead of the reference API: started from its local: block,
   * or left alone when it gives a url: of a service already running here.
   */
  withTarget(target: TargetModel, log: (line: string) => void = this.log): this {
    this.target = target;
    this.log = log;
    return this;
  }

  /** Progress lines (the target's build and set-up steps). */
  withLog(log: (line: string) => void): this {
    this.log = log;
    return this;
  }

  /** Route the API's database traffic through Toxiproxy, for network faults between them. */
  withDbProxy(dbProxy = true): this {
    this.dbProxy = dbProxy;
    return this;
  }

  /** Extra Prometheus scrape jobs, e.g. the harness's own metrics while it runs. */
  withExtraScrapeConfigs(configs: { job_name: string; static_configs: { targets: string[] }[] }[]): this {
    this.prometheus.extraScrapeConfigs = configs;
    return this;
  }

  withRuleFiles(ruleFiles: string[]): this {
    this.prometheus.ruleFiles = ruleFiles;
    return this;
  }

  async start(): Promise<StartedLocalEnvironment> {
    const startedAt = Date.now();
    await cleanStaleRuns();
    const runDir = newRunDir();
    mkdirSync(path.join(runDir, "logs"), { mode: 0o755 });
    const state = newState(this.persistent);
    writeState(runDir, state);
    const processes: RunningProcess[] = [];
    const target = this.target;
    // Only a service the harness starts can be handed a database; one already running has its own.
    const database = target.local ? targetDatabase(target) : undefined;
    const prometheus: PrometheusOptions = {
      ...this.prometheus,
      target: { job: target.name, metricsPath: target.metrics, ...(target.url && !target.local ? { address: new URL(target.url).host } : {}) },
    };
    const ctx: ComponentContext = {
      runDir,
      ports: await freePorts(PORT_NAMES),
      dbProxy: this.dbProxy,
      track: (proc) => {
        processes.push(proc);
        state.processes.push(proc.record);
        writeState(runDir, state);
      },
    };
    try {
      // Configs only need ports, which are all known now, so everything starts at once;
      // only the target waits, for its database.
      const started = await Promise.all([
        this.startTarget(ctx, target, database),
        startVictoriaLogs(ctx),
        startJaeger(ctx),
        startAlertReceiver(ctx),
        startAlertmanager(ctx),
        startOtelCollector(ctx),
        startPrometheus(ctx, prometheus),
      ]);
      const components: ComponentInfo[] = started.flat().map((c: StartedComponent) => c.info);
      const env = new StartedLocalEnvironment(runDir, ctx.ports, components, state, Date.now() - startedAt, {
        dbProxy: Boolean(database) && this.dbProxy,
        ...(database ? { database } : {}),
        ...(target.url && !target.local ? { apiUrl: target.url } : {}),
      });
      state.components = components;
      state.endpoints = env.getEndpoints();
      writeState(runDir, state);
      return env;
    } catch (err) {
      await Promise.all(processes.map((p) => stopProcess(p.record, 2000)));
      throw new Error(`local environment failed to start (run directory ${runDir}): ${(err as Error).message}`, { cause: err });
    }
  }

  /** A target with a database waits for it, and for Toxiproxy in between when network faults need it. */
  private async startTarget(ctx: ComponentContext, target: TargetModel, database: { database: string; role: string } | undefined): Promise<StartedComponent[]> {
    if (target.local) {
      if (!database) return [await startServiceTarget(ctx, target, {}, this.log)];
      const pg = await startPostgres(ctx, this.postgres, database);
      const proxy = this.dbProxy ? [await startToxiproxy(ctx)] : [];
      const env = databaseEnvironment("127.0.0.1", this.dbProxy ? ctx.ports.postgresProxy : ctx.ports.postgres, database);
      return [pg, ...proxy, await startServiceTarget(ctx, target, env, this.log)];
    }
    if (target.url) return [];
    throw new Error(`${target.source}: the local provider needs local: (a command to run) or url: (a service already running on this machine)`);
  }
}
