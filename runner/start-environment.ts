import type { StartedEnvironment } from "../env/environment.js";
import { LocalEnvironment } from "../env/local/index.js";
import { TestcontainersEnvironment } from "../env/testcontainers/index.js";
import { buildLocalImages } from "../env/images/index.js";
import { ExistingEnvironment, parseExistingOptions } from "../env/existing/index.js";
import { KindEnvironment, parseKindOptions } from "../env/kind/index.js";
import { BadInputError } from "./cli-errors.js";
import type { LoadedExperiment } from "./experiment-loader.js";

export interface EnvironmentRequest {
  provider: string;
  /** host:port of the harness's own metrics, for the stack's Prometheus to scrape. */
  harnessMetrics?: string;
  /** Leave it running after the harness exits (`run --keep`). */
  keep?: boolean;
  /** testcontainers and kind: "local" builds and uses `slo-harness images build`'s images; default the experiment's env.options.images, else upstream. */
  images?: string;
  /** existing: run even though the kubeconfig context matches a protected pattern (`--allow-protected-context`). */
  allowProtectedContext?: boolean;
}

function numberOption(loaded: LoadedExperiment, key: string): number | undefined {
  const value = loaded.experiment.env.options[key];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new BadInputError(`${loaded.file}: env.options.${key}: expected a positive whole number like 40, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** One environment for all experiments of a suite, sized for the most demanding of them. */
export async function startEnvironment(request: EnvironmentRequest, experiments: LoadedExperiment[]): Promise<StartedEnvironment> {
  if (request.provider === "testcontainers") return startContainers(request, experiments);
  if (request.provider === "existing") return startExisting(request, experiments);
  if (request.provider === "kind") return startKind(request, experiments);
  if (request.provider !== "local") {
    throw new BadInputError(`env.provider: "${request.provider}" is not one of local, testcontainers, kind, existing`);
  }
  const env = new LocalEnvironment().withPersistence(Boolean(request.keep));
  const maxConnections = Math.max(0, ...experiments.map((e) => numberOption(e, "maxConnections") ?? 0));
  if (maxConnections > 0) env.withPostgresMaxConnections(maxConnections);
  const workers = Math.max(0, ...experiments.map((e) => numberOption(e, "workers") ?? 0));
  if (workers > 0) env.withApiWorkers(workers);
  // Network faults sit between the API and its database, which needs the proxy in that path.
  if (experiments.some((e) => e.experiment.env.options.dbProxy === true || e.experiment.faults.some((f) => f.injector === "network"))) env.withDbProxy();
  if (request.harnessMetrics) env.withExtraScrapeConfigs([{ job_name: "slo-harness", static_configs: [{ targets: [request.harnessMetrics] }] }]);
  return env.start();
}

async function startContainers(request: EnvironmentRequest, experiments: LoadedExperiment[]): Promise<StartedEnvironment> {
  const first = experiments[0]!;
  const images = request.images ?? first.experiment.env.options.images ?? "upstream";
  if (images !== "local" && images !== "upstream") {
    throw new BadInputError(`${first.file}: env.options.images: expected "local" (built here by \`slo-harness images build\`, no registry needed) or "upstream" (pulled from Docker Hub), got ${JSON.stringify(images)}`);
  }
  if (request.keep) throw new BadInputError(`--keep: the testcontainers provider removes its containers when the run ends; use the local provider to keep a stack`);
  const env = new TestcontainersEnvironment();
  if (experiments.some((e) => e.experiment.env.options.dbProxy === true || e.experiment.faults.some((f) => f.injector === "network"))) env.withDbProxy();
  if (images === "local") {
    // Where images are built locally nothing can be pulled, Testcontainers' Ryuk reaper included;
    // the provider removes its own containers and network at the end.
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "localhost";
    env.withImages(await buildLocalImages({ log: (line) => process.stderr.write(`images: ${line}\n`) }));
  }
  const maxConnections = Math.max(0, ...experiments.map((e) => numberOption(e, "maxConnections") ?? 0));
  if (maxConnections > 0) env.withPostgresMaxConnections(maxConnections);
  const workers = Math.max(0, ...experiments.map((e) => numberOption(e, "workers") ?? 0));
  if (workers > 0) env.withApiWorkers(workers);
  return env.start();
}

async function startExisting(request: EnvironmentRequest, experiments: LoadedExperiment[]): Promise<StartedEnvironment> {
  const first = experiments[0]!;
  if (request.keep) throw new BadInputError(`--keep: the existing provider starts nothing that could be kept; leave it out`);
  const compressed = experiments.find((e) => e.experiment.rules.compress !== 1);
  if (compressed) {
    throw new BadInputError(`${compressed.file}: rules.compress: the existing provider cannot swap the deployment's Prometheus rules for time-compressed ones; set it to 1 and give the expectations deadlines the real rules can meet`);
  }
  let options;
  try {
    options = parseExistingOptions(first.experiment.env.options);
  } catch (err) {
    throw new BadInputError(`${first.file}: ${(err as Error).message}`);
  }
  return new ExistingEnvironment(options).withProtectedContextAllowed(Boolean(request.allowProtectedContext)).start();
}

async function startKind(request: EnvironmentRequest, experiments: LoadedExperiment[]): Promise<StartedEnvironment> {
  const first = experiments[0]!;
  let options;
  try {
    options = parseKindOptions(first.experiment.env.options);
  } catch (err) {
    throw new BadInputError(`${first.file}: ${(err as Error).message}`);
  }
  const images = request.images ?? options.images;
  if (images !== undefined && images !== "local" && images !== "upstream") {
    throw new BadInputError(`--images: expected "local" (built here by \`slo-harness images build\`, no registry needed) or "upstream", got ${JSON.stringify(images)}`);
  }
  // --keep on kind means the cluster outlives the run, like env.options.keepCluster.
  return new KindEnvironment().withOptions({ ...options, ...(images ? { images } : {}), keepCluster: options.keepCluster || Boolean(request.keep) }).start();
}
