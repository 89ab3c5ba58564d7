import { sleep } from "../core/long-timer.js";
import type { FaultContext, FaultHandle, Injector } from "../chaos/injector.js";
import type { FaultPlan } from "../core/experiment-model.js";
import type { FaultResult } from "../core/report-schema.js";
import type { RunAnchors } from "./anchors.js";
import type { FaultWindow } from "../assertions/diagnosis/diagnosis.js";

interface ScheduledFault {
  plan: FaultPlan;
  injector: Injector;
  plannedAt: Date;
  handle?: FaultHandle;
  error?: string;
  done: Promise<void>;
}

/**
 * Injects each fault at its offset from run start and rolls it back after its duration. Rollback
 * runs whatever happens: on abort (SIGINT/SIGTERM) every fault in place is rolled back at once.
 */
export class FaultScheduler {
  private readonly faults: ScheduledFault[] = [];

  constructor(
    /** What each fault runs against: the plan plus endpoints, environment, journal and timeline. */
    private readonly contextFor: (plan: FaultPlan) => FaultContext,
    private readonly anchors: RunAnchors,
  ) {}

  start(plans: FaultPlan[], injectorFor: (plan: FaultPlan) => Injector, runStart: Date, signal: AbortSignal): void {
    for (const plan of plans) {
      const plannedAt = new Date(runStart.getTime() + plan.atMs);
      const fault: ScheduledFault = { plan, injector: injectorFor(plan), plannedAt, done: Promise.resolve() };
      fault.done = this.runOne(fault, signal);
      this.faults.push(fault);
    }
  }

  private async runOne(fault: ScheduledFault, signal: AbortSignal): Promise<void> {
    const { plan } = fault;
    await sleep(fault.plannedAt.getTime() - Date.now(), signal);
    if (signal.aborted) {
      this.anchors.mark(`${plan.faultId}.start`, undefined);
      this.anchors.mark(`${plan.faultId}.end`, undefined);
      return;
    }
    try {
      fault.handle = await fault.injector.inject(this.contextFor(plan));
      this.anchors.mark(`${plan.faultId}.start`, fault.handle.injectedAt);
    } catch (err) {
      // The injector has put the failure on the timeline itself, with the stage it failed in.
      fault.error = (err as Error).message;
      this.anchors.mark(`${plan.faultId}.start`, undefined);
      this.anchors.mark(`${plan.faultId}.end`, undefined);
      return;
    }
    await sleep(fault.handle.injectedAt.getTime() + plan.durationMs - Date.now(), signal);
    await this.rollback(fault);
  }

  private async rollback(fault: ScheduledFault): Promise<void> {
    if (!fault.handle) return;
    try {
      await fault.handle.rollback();
    } catch (err) {
      fault.error = `rollback failed: ${(err as Error).message}`;
    }
    this.anchors.mark(`${fault.plan.faultId}.end`, fault.handle.rolledBackAt);
  }

  /** Resolves when every fault has been injected and rolled back (or failed to be). */
  async settled(): Promise<void> {
    await Promise.all(this.faults.map((f) => f.done));
  }

  /** Rolls back every fault still in place; idempotent handles make this safe to repeat. */
  async rollbackAll(): Promise<void> {
    await Promise.all(this.faults.map((f) => this.rollback(f)));
  }

  /** Faults injected so far, with when they were in place and what they declared they blind. */
  windows(): FaultWindow[] {
    return this.faults.flatMap(({ plan, handle }) =>
      handle
        ? [
            {
              id: plan.faultId,
              injector: plan.injector,
              ...(plan.target ? { target: plan.target } : {}),
              from: handle.injectedAt,
              ...(handle.rolledBackAt ? { to: handle.rolledBackAt } : {}),
              blinds: [...plan.blinds],
            },
          ]
        : [],
    );
  }

  results(): FaultResult[] {
    return this.faults.map(({ plan, handle, plannedAt, error }) => ({
      id: plan.faultId,
      injector: plan.injector,
      ...(plan.target ? { target: plan.target } : {}),
      params: plan.params,
      plannedAt: plannedAt.toISOString(),
      ...(handle ? { injectedAt: handle.injectedAt.toISOString(), evidence: handle.evidence } : {}),
      ...(handle?.rolledBackAt ? { rolledBackAt: handle.rolledBackAt.toISOString() } : {}),
      effectVerified: handle?.effectVerified ?? false,
      ...(plan.blinds.length ? { blinds: [...plan.blinds] } : {}),
      ...(error ? { error } : {}),
    }));
  }
}
