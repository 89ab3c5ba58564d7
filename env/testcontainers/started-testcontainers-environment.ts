import { rmSync } from "node:fs";
import axios from "axios";
import type { StartedTestContainer } from "testcontainers";
import type { ComponentInfo, Endpoints, RuleFile, StartedEnvironment, Capability, ContainerControl } from "../../core/environment.js";
import { stopProcess, type RunningProcess } from "../shared/managed-process.js";
import { IMAGE_KEYS, type StackImages } from "./container-images.js";
import type { StackNetwork } from "./stack-network.js";
import type { HarnessMetricsListener } from "../provider-kind.js";
import { adminUrl, CONTAINER_PORTS, RULES_DIR, type StackComponent } from "./stack-containers.js";

export interface StartedStack {
  runDir: string;
  network: StackNetwork;
  containers: Map<string, StartedTestContainer>;
  receiver: RunningProcess;
  receiverUrl: string;
  receiverVersion: string;
  images: StackImages;
  startMs: number;
  /** The service under test. */
  target: { name: string; port: number; image: string };
  /** Its database, when its target file asks for one. */
  database?: { database: string; role: string };
  /** Where the stack's Prometheus scrapes the harness's own metrics, on the network's gateway. */
  metricsListener?: HarnessMetricsListener;
}

export class StartedTestcontainersEnvironment implements StartedEnvironment {
  readonly provider = "testcontainers";
  readonly capabilities: readonly Capability[];
  readonly containers: ContainerControl;

  constructor(private readonly stack: StartedStack) {
    this.capabilities = [
      "containers",
      ...(stack.containers.has("postgres") ? (["postgres"] as const) : []),
      ...(stack.containers.has("toxiproxy") ? (["toxiproxy"] as const) : []),
    ];
    this.containers = {
      components: [...stack.containers.keys()],
      containerId: (component) => this.container(component).getId(),
      network: stack.network.name,
    };
  }

  container(component: string): StartedTestContainer {
    const c = this.stack.containers.get(component);
    if (!c) throw new Error(`testcontainers environment: no ${component} container`);
    return c;
  }

  /** Docker's id of each component's container, for the Docker injectors. */
  containerIds(): Record<string, string> {
    return Object.fromEntries([...this.stack.containers].map(([name, c]) => [name, c.getId()]));
  }

  getNetworkName(): string {
    return this.stack.network.name;
  }

  getEndpoints(): Endpoints {
    const url = (component: string, port: number) => `http://127.0.0.1:${this.container(component).getMappedPort(port)}`;
    return {
      api: url(this.stack.target.name, this.stack.target.port),
      prometheus: url("prometheus", CONTAINER_PORTS.prometheus),
      alertmanager: url("alertmanager", CONTAINER_PORTS.alertmanager),
      jaeger: url("jaeger", CONTAINER_PORTS.jaegerQuery),
      logs: url("victoria-logs", CONTAINER_PORTS.logs),
      logsBackend: "victorialogs",
      collector: url("otel-collector", CONTAINER_PORTS.collectorOtlpHttp),
      postgres: this.stack.database ? adminUrl(this.container("postgres"), this.stack.database.database) : "",
      ...(this.stack.database ? { postgresRole: this.stack.database.role } : {}),
      alertReceiver: this.stack.receiverUrl,
      ...(this.stack.containers.has("toxiproxy") ? { toxiproxy: url("toxiproxy", CONTAINER_PORTS.toxiproxy) } : {}),
      runDir: this.stack.runDir,
    };
  }

  getComponents(): ComponentInfo[] {
    const imageOf = (name: string) => (name in IMAGE_KEYS ? this.stack.images[IMAGE_KEYS[name as StackComponent]] : this.stack.target.image);
    const containers: ComponentInfo[] = [...this.stack.containers.keys()].map((name) => ({ name, version: imageOf(name) }));
    return [
      ...containers,
      { name: "alert-receiver", version: this.stack.receiverVersion, pid: this.stack.receiver.record.pid, logFile: this.stack.receiver.record.logFile },
    ];
  }

  getStartMs(): number {
    return this.stack.startMs;
  }

  /** Swaps the rule files inside the Prometheus container and reloads it; every file must load. */
  async applyRules(files: RuleFile[]): Promise<void> {
    const prometheus = this.container("prometheus");
    const names = files.map((f) => (f.name.endsWith(".yml") ? f.name : `${f.name}.yml`));
    const cleared = await prometheus.exec(["sh", "-c", `rm -f ${RULES_DIR}/*.yml`]);
    if (cleared.exitCode !== 0) throw new Error(`prometheus container: clearing ${RULES_DIR} failed: ${cleared.output}`);
    await prometheus.copyContentToContainer(files.map((f, i) => ({ content: f.content, target: `${RULES_DIR}/${names[i]}` })));
    const base = this.getEndpoints().prometheus;
    const reload = await axios.post(`${base}/-/reload`, undefined, { proxy: false, validateStatus: () => true, timeout: 30_000 });
    if (reload.status !== 200) throw new Error(`Prometheus refused the new rules (HTTP ${reload.status}): ${String(reload.data).trim()}`);
    const rules = await axios.get(`${base}/api/v1/rules`, { proxy: false, timeout: 5000 });
    const loaded = new Set((rules.data.data.groups as { file: string }[]).map((g) => g.file.split("/").pop()));
    const missing = names.filter((n) => !loaded.has(n));
    if (missing.length > 0) throw new Error(`Prometheus reloaded but has no rule groups from ${missing.join(", ")}`);
  }

  /** Removes every container, the network and the receiver; the run directory too unless kept. */
  async stop(options: { keepRunDir?: boolean } = {}): Promise<void> {
    await Promise.all([...this.stack.containers.values()].map((c) => c.stop({ timeout: 2000, remove: true }).catch(() => undefined)));
    await stopProcess(this.stack.receiver.record, 2000);
    await this.stack.metricsListener?.close();
    await this.stack.network.remove();
    if (!options.keepRunDir) rmSync(this.stack.runDir, { recursive: true, force: true });
  }
}
