import type { Capability, StartedEnvironment } from "../core/environment.js";
import { BadInputError } from "../core/errors.js";
import { NO_OPERATOR_GUARDS, type OperatorGuards } from "../core/operator-guards.js";
import { getInjector } from "../chaos/index.js";
import { providerFor } from "../env/provider-registry.js";
import { targetRefusal, type LoadedExperiment } from "./experiment-loader.js";
import type { HarnessMetricsEndpoint, ProviderKind } from "../env/provider-kind.js";
import type { TargetModel } from "../core/target-spec.js";
import path from "node:path";

export interface EnvironmentRequest {
  provider: string;
  /** The harness's own metrics, for the stack's Prometheus to scrape. */
  harnessMetrics?: HarnessMetricsEndpoint;
  /** Leave it running after the harness exits (`run --keep`). */
  keep?: boolean;
  /** testcontainers and kind: "local" builds and uses `slo-harness images build`'s images; default the experiment's env.options.images, else upstream. */
  images?: string;
  /** The operator's guards, from the command line and operator config; the defaults when absent. */
  guards?: OperatorGuards;
}

/** One environment for all experiments of a suite, sized for the most demanding of them. */
export async function startEnvironment(request: EnvironmentRequest, experiments: LoadedExperiment[]): Promise<StartedEnvironment> {
  const provider = providerFor(request.provider);
  if (!provider) throw new BadInputError(`env.provider: "${request.provider}" is not a provider`);
  // The loader checked each file's options against its own provider; an --env override is checked here.
  const options = experiments.map((e) => {
    const parsed = provider.options.safeParse(e.experiment.env.options);
    if (!parsed.success)
      throw new BadInputError(
        `${e.file}: env.options: not valid for the ${provider.name} provider: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`).join("; ")}`,
      );
    return parsed.data;
  });
  const target = suiteTarget(experiments);
  const refusal = target && targetRefusal(provider as ProviderKind<unknown>, target);
  if (refusal) throw new BadInputError(`--env ${provider.name}: ${refusal}`);
  const problem = options.map((o) => provider.targetProblem?.(o, target)).find(Boolean);
  if (problem) throw new BadInputError(`--env ${provider.name}: ${problem}`);
  const needs = new Set<Capability>(experiments.flatMap((e) => e.experiment.faults.flatMap((f) => getInjector(f.injector).requires)));
  return provider.start({
    options,
    needs,
    keep: Boolean(request.keep),
    guards: request.guards ?? NO_OPERATOR_GUARDS,
    ...(request.harnessMetrics ? { harnessMetrics: request.harnessMetrics } : {}),
    ...(request.images ? { images: request.images } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
    ...(target ? { target } : {}),
  });
}

/** One environment runs one system under test: every experiment of a suite must name the same. */
function suiteTarget(experiments: LoadedExperiment[]): TargetModel | undefined {
  const first = experiments[0]?.target;
  const other = experiments.find((e) => e.target?.name !== first?.name || (e.target && path.resolve(e.target.dir) !== path.resolve(first!.dir)));
  if (other)
    throw new BadInputError(
      `${other.file}: target: ${other.target ? `"${other.target.name}" (${other.target.source})` : "the reference API"}, but ${experiments[0]!.file} runs ${first ? `"${first.name}" (${first.source})` : "the reference API"}; one environment runs one target: run them separately`,
    );
  return first;
}
