import { rmSync } from "node:fs";
import type { KubeConfig } from "@kubernetes/client-node";
import type { ComponentInfo, Endpoints, RuleFile, StartedEnvironment, Capability } from "../../core/environment.js";
import { stopProcess, type RunningProcess } from "../shared/managed-process.js";
import type { ServicePortForward } from "../kubernetes/port-forward.js";
import type { HarnessMetricsListener } from "../provider-kind.js";
import { deleteClusterCommand } from "./kind-commands.js";
import { runStep } from "./kind-tools.js";

export interface KindStack {
  clusterName: string;
  /** Deleted by stop() only when this run created it and was not asked to keep it. */
  deleteCluster: boolean;
  kubeConfig: KubeConfig;
  endpoints: Endpoints;
  components: ComponentInfo[];
  forwards: ServicePortForward[];
  processes: RunningProcess[];
  /** Where the stack's Prometheus scrapes the harness's own metrics, on the kind network's gateway. */
  metricsListener?: HarnessMetricsListener;
  /** Swaps the stack's rule files: PrometheusRule objects (charts) or the rules ConfigMap (manifests). */
  applyRules(files: RuleFile[]): Promise<void>;
}

export class StartedKindEnvironment implements StartedEnvironment {
  readonly provider = "kind";
  readonly capabilities: readonly Capability[] = ["kubernetes", "postgres"];

  constructor(private readonly stack: KindStack) {}

  getEndpoints(): Endpoints {
    return this.stack.endpoints;
  }

  getComponents(): ComponentInfo[] {
    return this.stack.components;
  }

  getClusterName(): string {
    return this.stack.clusterName;
  }

  getKubeConfig(): KubeConfig {
    return this.stack.kubeConfig;
  }

  /** Swaps the stack's rule files and waits for Prometheus to evaluate the new ones. */
  async applyRules(files: RuleFile[]): Promise<void> {
    await this.stack.applyRules(files);
  }

  async stop(): Promise<void> {
    await Promise.all(this.stack.forwards.map((f) => f.stop()));
    await Promise.all(this.stack.processes.map((p) => stopProcess(p.record)));
    await this.stack.metricsListener?.close();
    if (this.stack.deleteCluster) await runStep("delete-cluster", deleteClusterCommand(this.stack.clusterName));
    rmSync(this.stack.endpoints.runDir, { recursive: true, force: true });
  }
}
