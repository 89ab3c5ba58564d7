import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { StartedTestContainer } from "testcontainers";
import type { Environment } from "../../core/environment.js";
import type { HarnessMetricsEndpoint, HarnessMetricsListener } from "../provider-kind.js";
import { startAlertReceiverAt } from "../shared/alert-receiver/start-alert-receiver.js";
import { DEFAULT_POSTGRES_OPTIONS } from "../shared/stack-options.js";
import { createTargetDatabase, databaseEnvironment } from "../shared/target-database.js";
import { referenceTarget } from "../shared/reference-target.js";
import { stopProcess, type RunningProcess } from "../shared/managed-process.js";
import { freePort, freePorts } from "../shared/free-port.js";
import { prometheusRules } from "../../core/paths.js";
import { IMAGE_KEYS, upstreamImages, type StackImages } from "./container-images.js";
import { createStackNetwork, type StackNetwork } from "./stack-network.js";
import {
  alertmanagerContainer,
  CONTAINER_PORTS,
  collectorContainer,
  jaegerContainer,
  logsContainer,
  postgresContainer,
  prometheusContainer,
  createDbProxy,
  DB_PROXY_KEY,
  toxiproxyContainer,
  PUBLISHED,
  containerName,
  publishedKey,
  dbProxyPort,
  type StackComponent,
  type StackPlan,
} from "./stack-containers.js";
import { KEPT_LABEL, OWNER_LABEL, ownerLabel, RUN_DIR_PREFIX, RUN_LABEL } from "./stack-labels.js";
import { writeKeptStack } from "./kept-stacks.js";
import { StartedTestcontainersEnvironment } from "./started-testcontainers-environment.js";
import { runContainerSetup, targetContainer, targetImage } from "./target-container.js";
import { targetDatabase, type TargetModel } from "../../core/target-spec.js";

/**
 * The same stack as the local provider, as containers on a Docker network of its own, for
 * laptops and CI runners with Docker. Ports are published on 127.0.0.1 only.
 */
export class TestcontainersEnvironment implements Environment {
  readonly provider = "testcontainers";
  private images: StackImages = upstreamImages();
  private maxConnections = DEFAULT_POSTGRES_OPTIONS.maxConnections;
  private dbProxy = false;
  private target: TargetModel = referenceTarget();
  private log: (line: string) => void = () => undefined;
  private harnessMetrics: HarnessMetricsEndpoint | undefined;
  private keep = false;

  /** The experiment's own service instead of the reference API, from its container: block. */
  withTarget(target: TargetModel): this {
    this.target = target;
    return this;
  }

  /** Progress lines (the target's build and set-up steps). */
  withLog(log: (line: string) => void): this {
    this.log = log;
    return this;
  }

  /** Replace some or all images, e.g. with those `slo-harness images build` made. */
  withImages(images: Partial<StackImages>): this {
    this.images = { ...this.images, ...images };
    return this;
  }

  /** The stack's Prometheus scrapes the harness's own metrics, served on the network's gateway. */
  withHarnessMetrics(endpoint: HarnessMetricsEndpoint): this {
    this.harnessMetrics = endpoint;
    return this;
  }

  /** Left running when the harness exits (`run --keep`), until `slo-harness down`; a later run's sweep leaves it alone. */
  withPersistence(keep = true): this {
    this.keep = keep;
    return this;
  }

  withPostgresMaxConnections(maxConnections: number): this {
    this.maxConnections = maxConnections;
    return this;
  }

  /** Route the API's database traffic through a Toxiproxy container, for network faults between them. */
  withDbProxy(dbProxy = true): this {
    this.dbProxy = dbProxy;
    return this;
  }

  async start(): Promise<StartedTestcontainersEnvironment> {
    const startedAt = Date.now();
    const runDir = mkdtempSync(path.join(tmpdir(), RUN_DIR_PREFIX));
    mkdirSync(path.join(runDir, "logs"));
    const prefix = `slo-${path.basename(runDir).slice(RUN_DIR_PREFIX.length).toLowerCase()}`;
    const containers = new Map<string, StartedTestContainer>();
    let network: StackNetwork | undefined;
    let receiver: RunningProcess | undefined;
    let metricsListener: HarnessMetricsListener | undefined;
    try {
      network = await createStackNetwork(`${prefix}-net`);
      // Alertmanager runs in a container: the receiver listens on our network's gateway, the
      // host's own address on a network this harness made.
      const receiverPort = await freePort();
      const started = await startAlertReceiverAt({ runDir, host: network.gateway, port: receiverPort, track: (p) => (receiver = p) });
      if (this.harnessMetrics) metricsListener = await this.harnessMetrics.listen(network.gateway);
      const plan: StackPlan = {
        images: this.images,
        network: network.name,
        prefix,
        webhookUrl: `http://${network.gateway}:${receiverPort}/alerts`,
        maxConnections: this.maxConnections,
        ruleFiles: prometheusRules(),
        labels: { [RUN_LABEL]: runDir, [OWNER_LABEL]: ownerLabel(), ...(this.keep ? { [KEPT_LABEL]: "true" } : {}) },
        hostPorts: await freePorts([
          ...PUBLISHED.map(([c, p]) => publishedKey(c, p)),
          DB_PROXY_KEY,
          ...(this.target.container ? [publishedKey(this.target.name, this.target.container.port)] : []),
        ]),
        dbProxy: this.dbProxy && Boolean(targetDatabase(this.target)),
        ...(this.target.container ? { target: { name: this.target.name, port: this.target.container.port, metricsPath: this.target.metrics } } : {}),
        ...(metricsListener ? { harnessMetrics: metricsListener.address } : {}),
      };
      const target = this.target;
      const database = targetDatabase(target);
      const targetRef = await targetImage(target, this.log);
      const start = async (component: string, container: ReturnType<typeof postgresContainer>) => {
        const image = component in IMAGE_KEYS ? plan.images[IMAGE_KEYS[component as StackComponent]] : targetRef;
        const c = await container.start().catch((err: Error) => {
          throw new Error(`${component} (image ${image}): ${err.message}`, { cause: err });
        });
        containers.set(component, c);
        return c;
      };
      // The target waits for its database, and for the proxy in between when network faults need it.
      const service = (async () => {
        let dbEnv: Record<string, string> = {};
        if (database) {
          const pg = await start("postgres", postgresContainer(plan));
          await createTargetDatabase(`postgresql://postgres@127.0.0.1:${pg.getMappedPort(CONTAINER_PORTS.postgres)}/postgres`, database);
          if (plan.dbProxy) await createDbProxy(plan, await start("toxiproxy", toxiproxyContainer(plan)));
          dbEnv = plan.dbProxy
            ? databaseEnvironment(containerName(plan, "toxiproxy"), dbProxyPort(plan), database)
            : databaseEnvironment(containerName(plan, "postgres"), CONTAINER_PORTS.postgres, database);
        }
        const started = await start(target.name, targetContainer(plan, target, targetRef, dbEnv));
        await runContainerSetup(target, started, this.log);
      })();
      // The collector resolves Jaeger's and the log store's names when it starts exporting.
      const pipeline = Promise.all([start("jaeger", jaegerContainer(plan)), start("victoria-logs", logsContainer(plan))]).then(() =>
        start("otel-collector", collectorContainer(plan)),
      );
      const alerting = start("alertmanager", alertmanagerContainer(plan)).then(() => start("prometheus", prometheusContainer(plan)));
      await Promise.all([service, pipeline, alerting]);
      const env = new StartedTestcontainersEnvironment({
        runDir,
        network,
        containers,
        receiver: receiver!,
        receiverUrl: started.url,
        images: this.images,
        startMs: Date.now() - startedAt,
        receiverVersion: started.info.version,
        target: { name: target.name, port: target.container!.port, image: targetRef },
        ...(database ? { database } : {}),
        ...(metricsListener ? { metricsListener } : {}),
      });
      if (this.keep) writeKeptStack(runDir, { network: network.name, endpoints: env.getEndpoints(), components: env.getComponents() });
      return env;
    } catch (err) {
      await Promise.all([...containers.values()].map((c) => c.stop({ timeout: 2000 }).catch(() => undefined)));
      if (receiver) await stopProcess(receiver.record, 2000);
      await metricsListener?.close();
      await network?.remove().catch(() => undefined);
      throw new Error(`testcontainers environment failed to start (run directory ${runDir}): ${(err as Error).message}`, { cause: err });
    }
  }
}
