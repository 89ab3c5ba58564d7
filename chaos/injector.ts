import type { Capability, Endpoints, StartedEnvironment } from "../core/environment.js";
import type { FaultPlan } from "../core/experiment-model.js";
import type { Timeline } from "../core/timeline.js";
import type { FaultJournal } from "./fault-journal.js";

/** A planned fault (core's FaultPlan: id, params, target, allowlist, timing) with what it runs against. */
export interface FaultContext extends FaultPlan {
  endpoints: Endpoints;
  environment: StartedEnvironment;
  journal: FaultJournal;
  timeline: Timeline;
}

export interface FaultHandle {
  readonly faultId: string;
  readonly injectedAt: Date;
  /** Whether the injector saw the fault take effect (sessions held, process stopped, toxic active). */
  readonly effectVerified: boolean;
  /** What was observed when verifying, for the report. */
  readonly evidence: string;
  /** Idempotent; safe after a partial or failed inject. Resolves once the fault is gone and that is verified. */
  rollback(): Promise<void>;
  readonly rolledBackAt: Date | undefined;
}

export interface Injector {
  readonly name: string;
  /** What the environment must be able to do; an experiment on a provider without it is refused at load. */
  readonly requires: readonly Capability[];
  /** Plain words for --dry-run and the report: what inject() would do with this plan; throws when the plan is invalid. */
  describe(plan: FaultPlan): string;
  /** Journals the undo before the fault takes effect, then injects and verifies it. */
  inject(ctx: FaultContext): Promise<FaultHandle>;
}
