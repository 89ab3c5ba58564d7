import { setLongTimeout, type LongTimer } from "../../core/long-timer.js";
import type { UndoAction } from "../fault-journal.js";
import type { FaultContext, FaultHandle } from "../injector.js";

/**
 * The part of a FaultContext that describe() needs: enough to validate and explain a fault
 * from the experiment file alone, before any environment is up.
 */
export type { FaultPlan } from "../../core/experiment-model.js";

/** What one injector does; the lifecycle around it (journal, timeline, time bound) is shared. */
export interface FaultSteps {
  /** Journaled before apply() runs, so a harness killed mid-fault leaves enough to clean up. */
  undo: UndoAction[];
  apply(): Promise<void>;
  /** Evidence that the fault took effect; throws saying what was seen when it did not. */
  verify(): Promise<string>;
  /** Removes the fault, also after a partial apply; evidence that it is gone, or throws. */
  remove(): Promise<string>;
}

export interface FaultInfo {
  injector: string;
  target: string;
  /** The validated params with defaults filled in, as the report shows them. */
  params: unknown;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

class JournaledFaultHandle implements FaultHandle {
  effectVerified = false;
  evidence = "";
  rolledBackAt: Date | undefined;
  private timer: LongTimer | undefined;
  private rolling: Promise<void> | undefined;

  constructor(
    private readonly ctx: FaultContext,
    private readonly info: FaultInfo,
    private readonly steps: FaultSteps,
    readonly injectedAt: Date,
  ) {}

  get faultId(): string {
    return this.ctx.faultId;
  }

  /**
   * The fault never outlives its bound, even if the runner forgets it. Unref'd: a harness
   * that is otherwise done must not be kept alive by it.
   */
  arm(remainingMs: number): void {
    this.timer = setLongTimeout(
      () => {
        // A failure is already on the timeline as fault-error, and the journal keeps the fault.
        this.settle("max-duration").catch(() => undefined);
      },
      remainingMs,
      true,
    );
  }

  async verifyEffect(): Promise<void> {
    try {
      this.evidence = await this.steps.verify();
      this.effectVerified = true;
      this.ctx.timeline.add("fault-effect-verified", { id: this.faultId, data: { injector: this.info.injector, evidence: this.evidence } });
    } catch (err) {
      this.evidence = `not verified: ${message(err)}`;
      this.ctx.timeline.add("fault-error", { id: this.faultId, data: { injector: this.info.injector, stage: "verify", error: message(err) } });
    }
  }

  rollback(): Promise<void> {
    return this.settle("requested");
  }

  private settle(reason: "requested" | "max-duration"): Promise<void> {
    if (this.rolledBackAt) return Promise.resolve();
    // Concurrent callers (runner and safety timer) share one removal; a failed one may be retried.
    this.rolling ??= this.remove(reason).finally(() => {
      this.rolling = undefined;
    });
    return this.rolling;
  }

  private async remove(reason: "requested" | "max-duration"): Promise<void> {
    this.timer?.cancel();
    const { injector, target } = this.info;
    try {
      const evidence = await this.steps.remove();
      this.ctx.journal.rolledBack(this.faultId, injector);
      this.rolledBackAt = new Date();
      this.ctx.timeline.add("fault-rolled-back", { id: this.faultId, at: this.rolledBackAt, data: { injector, target, reason, evidence } });
    } catch (err) {
      this.ctx.timeline.add("fault-error", { id: this.faultId, data: { injector, stage: "rollback", error: message(err) } });
      throw new Error(
        `faults[${this.faultId}]: rolling back the ${injector} fault on "${target}" failed: ${message(err)}; ` +
          `the journal ${this.ctx.journal.file} keeps it outstanding, so the next run of the harness retries the cleanup`,
        { cause: err },
      );
    }
  }
}

/**
 * Journals the undo, applies the fault, records it on the timeline, bounds it in time and
 * verifies it took effect. A failed apply is undone before the error is thrown.
 */
export async function injectFault(ctx: FaultContext, info: FaultInfo, steps: FaultSteps): Promise<FaultHandle> {
  const startedAt = Date.now();
  const { injector, target } = info;
  ctx.journal.injecting(ctx.faultId, injector, steps.undo);
  try {
    await steps.apply();
  } catch (err) {
    ctx.timeline.add("fault-error", { id: ctx.faultId, data: { injector, stage: "inject", error: message(err) } });
    let cleanup: string;
    try {
      await steps.remove();
      ctx.journal.rolledBack(ctx.faultId, injector);
      cleanup = "whatever was partly injected has been removed";
    } catch (undoErr) {
      cleanup = `removing what was partly injected failed too (${message(undoErr)}); the journal ${ctx.journal.file} keeps it for the next run to clean up`;
    }
    throw new Error(`faults[${ctx.faultId}]: the ${injector} injector could not inject its fault on "${target}": ${message(err)}; ${cleanup}`, { cause: err });
  }
  const handle = new JournaledFaultHandle(ctx, info, steps, new Date());
  ctx.timeline.add("fault-injected", {
    id: ctx.faultId,
    at: handle.injectedAt,
    data: { injector, target, params: info.params, injectMs: handle.injectedAt.getTime() - startedAt },
  });
  handle.arm(ctx.maxDurationMs - (Date.now() - startedAt));
  await handle.verifyEffect();
  return handle;
}
