import type { Endpoints, StartedEnvironment } from "../core/environment.js";
import type { Timeline } from "../core/timeline.js";
import type { FaultJournal } from "./fault-journal.js";

export interface FaultContext {
  /** The experiment's id for this fault, e.g. "pool-exhausted". */
  faultId: string;
  /** The fault's `with:` block from the experiment file; each injector validates its own. */
  params: Record<string, unknown>;
  /** What the fault is aimed at, e.g. a component name; checked against the allowlist. */
  target?: string;
  /** Targets this experiment may touch; anything else is refused. */
  allowlist: readonly string[];
  /** Upper bound of how long the fault may stay in place; the runner rolls back by then at the latest. */
  maxDurationMs: number;
  endpoints: Endpoints;
  environment: StartedEnvironment;
  journal: FaultJournal;
  timeline: Timeline;
  dryRun: boolean;
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
  /** Plain words for --dry-run and the report: what inject() would do with these params. */
  describe(ctx: FaultContext): string;
  /** Journals the undo before the fault takes effect, then injects and verifies it. */
  inject(ctx: FaultContext): Promise<FaultHandle>;
}
