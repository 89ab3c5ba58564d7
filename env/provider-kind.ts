import type { z } from "zod";
import type { Capability, StartedEnvironment } from "../core/environment.js";
import type { OperatorGuards } from "../core/operator-guards.js";
import type { TargetModel } from "../core/target-spec.js";

/** What a suite asks of the environment it runs on, beyond each experiment's env.options. */
export interface StartRequest<O> {
  /** Each experiment's env.options, parsed by the provider's schema; a suite is sized for the most demanding. */
  options: O[];
  /** What the suite's faults need (e.g. "toxiproxy" for network faults). */
  needs: ReadonlySet<Capability>;
  /** The harness's own metrics, for the stack's Prometheus to scrape. */
  harnessMetrics?: HarnessMetricsEndpoint;
  /** Leave it running after the harness exits (`run --keep`). */
  keep: boolean;
  /** `run --images`: overrides env.options.images. */
  images?: string;
  /** The operator's guards (command line and operator config): protected contexts, chaos namespaces. */
  guards: OperatorGuards;
  log: (line: string) => void;
  /** The suite's own service, when its experiments declare one; absent, the provider runs the reference API. */
  target?: TargetModel;
}

/** Where the harness serves its own /metrics (slo_harness_fault_active and the rest) during a run. */
export interface HarnessMetricsEndpoint {
  /** host:port on loopback, for a Prometheus on this host. */
  address: string;
  /** Serves them on another of this host's addresses too (a Docker network's gateway), on a free port unless given one, for a Prometheus in a container or a pod. */
  listen(host: string, port?: number): Promise<HarnessMetricsListener>;
}

export interface HarnessMetricsListener {
  /** host:port to scrape. */
  address: string;
  /** Stops serving there; the environment that asked closes it when it stops. */
  close(): Promise<void>;
}

/**
 * A provider as the registry knows it: the options it takes (checked by `validate` before anything
 * starts), what it can do (so a fault it cannot carry out is refused up front), and how to start it.
 */
export interface ProviderKind<O = unknown> {
  readonly name: string;
  readonly summary: string;
  readonly options: z.ZodType<O>;
  /**
   * Capabilities with these options and target, or the most it can have when none are given;
   * "rules" means it can swap in time-compressed alert rules.
   */
  capabilities(options?: O, target?: TargetModel): readonly Capability[];
  /** Which blocks of an experiment's target it can run the service from; none: it runs only the reference API. */
  readonly runsTargetFrom: readonly TargetBlock[];
  /** What these options lack or contradict given the experiment's target (or its absence), as a message naming the field under env.options. */
  targetProblem?(options: O, target: TargetModel | undefined): string | undefined;
  start(request: StartRequest<O>): Promise<StartedEnvironment>;
}

export type TargetBlock = "local" | "container" | "kubernetes" | "url";

export function providerKind<O>(kind: ProviderKind<O>): ProviderKind<O> {
  return kind;
}

/** The largest of a numeric option over a suite's experiments. */
export function largest<O>(options: O[], pick: (o: O) => number | undefined): number | undefined {
  const values = options.map(pick).filter((v): v is number => v !== undefined);
  return values.length ? Math.max(...values) : undefined;
}
