import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { VersionApi, type KubeConfig } from "@kubernetes/client-node";
import YAML from "yaml";
import type { ComponentInfo, Endpoints, Environment, KubernetesAccess } from "../../core/environment.js";
import { alertmanagerConfigFor } from "../shared/alertmanager-config.js";
import { startAlertReceiverAt } from "../shared/alert-receiver/start-alert-receiver.js";
import { freePort } from "../shared/free-port.js";
import { stopProcess, type RunningProcess } from "../shared/managed-process.js";
import { prometheusRules, stackConfigPath } from "../../core/paths.js";
import { apiMessage, loadKubeConfig } from "../../core/kube-config.js";
import { ServicePortForward, type ServiceTarget } from "../kubernetes/port-forward.js";
import { CHARTS, SERVICES } from "./chart-versions.js";
import * as cmd from "./kind-commands.js";
import { applyObjects, waitDeploymentsAvailable, waitJobComplete } from "./kind-manifests.js";
import { kubeTarget, type KubeTarget } from "./kube-target.js";
import { requireTargetImage } from "./target-image.js";
import { referenceTarget } from "../shared/reference-target.js";
import type { TargetModel } from "../../core/target-spec.js";
import { kindStackMode, type KindOptions } from "./kind-options.js";
import { installManifestStack } from "./install-manifest-stack.js";
import { replaceManifestRules } from "./manifest-rules.js";
import { MANIFEST_SERVICES } from "./stack-services.js";
import { requireTools, runStep } from "./kind-tools.js";
import { replaceRules } from "./prometheus-rules.js";
import { StartedKindEnvironment, type KindStack } from "./started-kind-environment.js";
import { harnessScrapeJob } from "../shared/harness-scrape-job.js";
import type { HarnessMetricsEndpoint, HarnessMetricsListener } from "../provider-kind.js";

/**
 * The article's deployment on a throwaway kind cluster: the stack from its Helm charts (stack:
 * charts) or the project's own manifests (stack: manifests, the default with local images), the
 * target from its target file's kubernetes: manifests, every endpoint through a port-forward on 127.0.0.1.
 */
export class KindEnvironment implements Environment {
  readonly provider = "kind";
  private options: KindOptions = { keepCluster: false };
  private target: TargetModel = referenceTarget();
  private harnessMetrics: HarnessMetricsEndpoint | undefined;

  withOptions(options: KindOptions): this {
    this.options = options;
    return this;
  }

  withTarget(target: TargetModel): this {
    this.target = target;
    return this;
  }

  /** The stack's Prometheus scrapes the harness's own metrics, served on the kind network's gateway. */
  withHarnessMetrics(endpoint: HarnessMetricsEndpoint): this {
    this.harnessMetrics = endpoint;
    return this;
  }

  async start(): Promise<StartedKindEnvironment> {
    const kube = kubeTarget(this.target);
    const mode = kindStackMode(this.options);
    requireTools(process.env, mode === "manifests" ? ["kind", "docker"] : undefined);
    const runDir = mkdtempSync(path.join(os.tmpdir(), "slo-harness-kind-"));
    mkdirSync(path.join(runDir, "logs"));
    const plan: cmd.ClusterPlan = {
      name:
        this.options.clusterName ??
        `slo-harness-${path
          .basename(runDir)
          .slice("slo-harness-kind-".length)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, "")}`,
      runDir,
      ...(this.options.nodeImage ? { nodeImage: this.options.nodeImage } : {}),
    };
    const processes: RunningProcess[] = [];
    const forwards: ServicePortForward[] = [];
    let metricsListener: HarnessMetricsListener | undefined;
    let created = false;
    try {
      created = await createOrReuseCluster(plan);
      const access: KubernetesAccess = { kubeconfig: cmd.kubeconfigPath(plan), context: `kind-${plan.name}`, chaosNamespaces: [kube.namespace] };
      const kc = await loadKubeConfig(access);
      let urls: Record<keyof typeof SERVICES, string>;
      let stackComponents: ComponentInfo[];
      let applyRules: KindStack["applyRules"];
      const receiver = await startReceiver(runDir, processes);
      if (this.harnessMetrics) metricsListener = await this.harnessMetrics.listen(receiver.gateway);
      if (mode === "manifests") {
        stackComponents = await installManifestStack(plan, kc, kube, this.options.images ?? "upstream", receiver.webhookUrl, metricsListener?.address);
        urls = await openForwards(kc, forwards, MANIFEST_SERVICES);
        applyRules = (files) => replaceManifestRules(kc, urls.prometheus, files);
      } else {
        if (kube.image) await runStep("load-target-image", cmd.loadImageCommand(plan.name, [await requireTargetImage(kube)]));
        await installCharts(plan, receiver.webhookUrl, metricsListener?.address);
        await applyTarget(kc, kube);
        urls = await openForwards(kc, forwards, SERVICES);
        applyRules = (files) => replaceRules(kc, urls.prometheus, files);
        stackComponents = chartComponents(kube);
      }
      await applyRules(prometheusRules());
      const targetServices: Record<string, ServiceTarget> = { api: { namespace: kube.namespace, service: kube.service, port: kube.port } };
      if (kube.postgres) targetServices.postgres = { namespace: kube.namespace, service: kube.postgres.service, port: kube.postgres.port };
      const target: Record<string, string> = await openForwards(kc, forwards, targetServices);
      const endpoints: Endpoints = {
        api: target.api!,
        prometheus: urls.prometheus,
        alertmanager: urls.alertmanager,
        jaeger: urls.jaeger,
        logs: urls.logs,
        logsBackend: "victorialogs",
        collector: urls.collector,
        postgres: kube.postgres && target.postgres ? `postgresql://postgres@${target.postgres.slice("http://".length)}/${kube.postgres.database}` : "",
        ...(kube.postgres ? { postgresRole: kube.postgres.role } : {}),
        alertReceiver: receiver.url,
        kubernetes: access,
        runDir,
      };
      const components = [receiver.info, await kubernetesVersion(kc), ...stackComponents];
      return new StartedKindEnvironment({
        clusterName: plan.name,
        deleteCluster: created && !this.options.keepCluster,
        kubeConfig: kc,
        endpoints,
        components,
        forwards,
        processes,
        applyRules,
        ...(metricsListener ? { metricsListener } : {}),
      });
    } catch (err) {
      await Promise.all(forwards.map((f) => f.stop().catch(() => undefined)));
      await Promise.all(processes.map((p) => stopProcess(p.record, 2000)));
      await metricsListener?.close();
      // Never leave a half-made cluster behind, even one asked to be kept: it is not the one asked for.
      if (created) await runStep("delete-cluster", cmd.deleteClusterCommand(plan.name)).catch(() => undefined);
      throw new Error(
        `kind environment failed to start (cluster ${plan.name}${created ? ", deleted again" : ""}; run directory ${runDir}): ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
}

/** Creates the cluster, or reuses one of that name (kept from an earlier run); true when created here. */
async function createOrReuseCluster(plan: cmd.ClusterPlan): Promise<boolean> {
  const existing = (await runStep("list-clusters", cmd.listClustersCommand())).split("\n").map((l) => l.trim());
  if (existing.includes(plan.name)) {
    await runStep("export-kubeconfig", cmd.exportKubeconfigCommand(plan));
    return false;
  }
  writeFileSync(cmd.kindConfigPath(plan), cmd.kindConfig(plan));
  await runStep("create-cluster", cmd.createClusterCommand(plan));
  return true;
}

/**
 * Alertmanager runs in a pod on the kind node; the node reaches the host at the kind network's
 * gateway, so the receiver listens there (an address on a network kind made, not on every interface).
 */
async function startReceiver(runDir: string, processes: RunningProcess[]): Promise<{ url: string; webhookUrl: string; info: ComponentInfo; gateway: string }> {
  const gateway = cmd.ipv4Gateway(await runStep("inspect-kind-network", cmd.inspectKindNetworkCommand()));
  if (!gateway) throw new Error(`kind environment: step "inspect-kind-network": docker network "kind" has no IPv4 gateway in its IPAM config`);
  const started = await startAlertReceiverAt({ runDir, host: gateway, port: await freePort(), track: (p) => processes.push(p) });
  return { url: started.url, webhookUrl: `${started.url}/alerts`, info: started.info, gateway };
}

async function installCharts(plan: cmd.ClusterPlan, webhookUrl: string, harnessMetrics: string | undefined): Promise<void> {
  for (const repo of cmd.helmRepoAddCommands(plan)) await runStep("helm-repo-add", repo);
  const valuesDir = stackConfigPath("kubernetes", "values");
  const alerting = path.join(plan.runDir, "prometheus-stack-values.yaml");
  writeFileSync(alerting, prometheusStackValues(webhookUrl, harnessMetrics));
  // Independent releases: installed side by side, each waiting for its own pods.
  await Promise.all(
    Object.values(CHARTS).map((chart) =>
      runStep(`helm-install-${chart.release}`, cmd.helmInstallCommand(plan, chart, valuesDir, chart === CHARTS.prometheus ? [alerting] : [])),
    ),
  );
}

/**
 * The run's own values for kube-prometheus-stack: env/stack/alertmanager.yml as the chart's
 * alertmanager.config, and the harness's metrics as an additional scrape config. Helm merges maps
 * into the chart's defaults, whose routes and inhibit rules name a "null" receiver this config does
 * not have: both are set explicitly (the routes to the stack's own).
 */
export function prometheusStackValues(webhookUrl: string, harnessMetrics?: string): string {
  const config = YAML.parse(alertmanagerConfigFor(webhookUrl)) as { route: Record<string, unknown>; inhibit_rules?: unknown[] };
  config.route.routes ??= [];
  config.inhibit_rules ??= [];
  const values = {
    alertmanager: { config },
    ...(harnessMetrics ? { prometheus: { prometheusSpec: { additionalScrapeConfigs: [harnessScrapeJob(harnessMetrics)] } } } : {}),
  };
  return `# generated by slo-harness from env/stack/alertmanager.yml, do not edit\n${YAML.stringify(values)}`;
}

async function applyTarget(kc: KubeConfig, kube: KubeTarget): Promise<void> {
  await applyObjects(kc, kube.objects, kube.files.join(", "));
  for (const job of kube.waitFor.jobs) await waitJobComplete(kc, kube.namespace, job);
  await waitDeploymentsAvailable(kc, kube.namespace, kube.waitFor.deployments);
}

async function openForwards<K extends string>(kc: KubeConfig, forwards: ServicePortForward[], services: Record<K, ServiceTarget>): Promise<Record<K, string>> {
  const entries = await Promise.all(
    Object.entries<ServiceTarget>(services).map(async ([key, target]) => {
      const forward = new ServicePortForward(kc, target);
      forwards.push(forward);
      return [key, `http://127.0.0.1:${await forward.start()}`] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<K, string>;
}

async function kubernetesVersion(kc: KubeConfig): Promise<ComponentInfo> {
  try {
    return { name: "kubernetes", version: (await kc.makeApiClient(VersionApi).getCode()).gitVersion };
  } catch (err) {
    throw new Error(`the kind cluster's API server did not answer /version: ${apiMessage(err)}`, { cause: err });
  }
}

function chartComponents(kube: KubeTarget): ComponentInfo[] {
  const chart = (c: (typeof CHARTS)[keyof typeof CHARTS]) => `${c.chart} ${c.version}`;
  return [
    { name: "prometheus", version: chart(CHARTS.prometheus) },
    { name: "alertmanager", version: chart(CHARTS.prometheus) },
    { name: "jaeger", version: chart(CHARTS.jaeger) },
    { name: "otel-collector", version: chart(CHARTS.collector) },
    { name: "victoria-logs", version: chart(CHARTS.logs) },
    { name: kube.name, version: kube.image ?? `manifests: ${kube.files.join(", ")}` },
  ];
}
