import type { StartedEnvironment } from "../core/environment.js";
import { loadKubeConfig } from "../core/kube-config.js";
import type { DistributedFigures, DistributedLoad } from "../scenarios/distributed/distributed-load.js";
import type { VegetaResult } from "../scenarios/load-collector.js";
import type { LoadPlan } from "../scenarios/load-plan.js";
import { referenceTarget } from "../env/shared/reference-target.js";
import type { LoadedExperiment } from "./experiment-loader.js";

/** `run --distributed-load N --load-runner-image REF`: how many runner pods, of which image. */
export interface DistributedLoadRequest {
  runners: number;
  image: string;
}

/**
 * The experiment's load as runner pods in the environment's cluster, sent to its target's Service
 * (the target's kubernetes: block names it; the reference API's when the experiment has no target).
 * Only a provider with the kubernetes capability has a cluster to run them in.
 */
export async function distributedLoad(
  request: DistributedLoadRequest,
  loaded: LoadedExperiment,
  env: StartedEnvironment,
  plan: LoadPlan,
  opts: { signal: AbortSignal; onResult: (r: VegetaResult) => void },
): Promise<DistributedLoad> {
  const kube = env.getEndpoints().kubernetes;
  if (!env.capabilities.includes("kubernetes") || !kube)
    throw new Error(
      `--distributed-load: the ${env.provider} provider has no Kubernetes cluster to run load runners in; use kind or existing, or drop the flag`,
    );
  // Imported here, not at the top: with the Kubernetes client they cost every command ~0.6 s at startup.
  const [{ kubeTarget }, { DistributedLoad }] = await Promise.all([
    import("../env/kind/kube-target.js"),
    import("../scenarios/distributed/distributed-load.js"),
  ]);
  let target;
  try {
    target = kubeTarget(loaded.target ?? referenceTarget());
  } catch (err) {
    throw new Error(`--distributed-load: runners send to the target's Service, named by its kubernetes: block: ${(err as Error).message}`, { cause: err });
  }
  return new DistributedLoad(plan, {
    kc: await loadKubeConfig(kube),
    service: { namespace: target.namespace, name: target.service, port: target.port },
    runners: request.runners,
    image: request.image,
    signal: opts.signal,
    onResult: opts.onResult,
  });
}

/**
 * The run's notes on a distributed load: where it came from, so the summary says it was not this
 * machine's, and one line per runner that did not send its share (a verdict cannot pass on load
 * that never ran).
 */
export function distributedLoadNotes(figures: DistributedFigures): string[] {
  const sent = figures.perRunner.map((r) => r.requests).join("/");
  const skew = figures.startSkewMs !== undefined ? `; their starts ${figures.startSkewMs} ms apart` : "";
  return [
    `The load came from ${figures.runners} runner pods of Job ${figures.job} (deleted since) sending to ${figures.target}: ${sent} requests of ${figures.perRunner[0]?.expectedRequests ?? 0} expected each${skew}.`,
    ...figures.perRunner
      .filter((r) => r.state !== "completed")
      .map(
        (r) =>
          `Load runner ${r.index + 1} of ${figures.runners} did not complete its share: ${r.requests} of ${r.expectedRequests} expected requests sent (${r.reason ?? r.state}).`,
      ),
  ];
}
