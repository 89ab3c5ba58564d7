import type { FaultContext, FaultHandle, Injector } from "../chaos/injector.js";
import type { FaultDef } from "../core/experiment-spec.js";
import type { FaultResult } from "../core/report-schema.js";
import type { RunAnchors } from "./anchors.js";
import type { FaultWindow } from "../assertions/diagnosis/diagnosis.js";
import { parseDuration } from "../core/durations.js";

interface ScheduledFault {
  def: FaultDef;
  injector: Injector;
  plannedAt: Date;
  handle?: FaultHandle;
  error?: string;
  done: Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, Math.max(0, ms));
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/**
 * Injects each fault at its offset from run start and rolls it back after its duration. Rollback
 * runs whatever happens: on abort (SIGINT/SIGTERM) every fault in place is rolled back at once.
 */
export class FaultScheduler {
  private readonly faults: ScheduledFault[] = [];

  constructor(
    private readonly contextFor: (def: FaultDef) => Omit<FaultContext, "dryRun">,
    private readonly anchors: RunAnchors,
  ) {}

  start(defs: FaultDef[], injectorFor: (def: FaultDef) => Injector, runStart: Date, signal: AbortSignal): void {
    for (const def of defs) {
      const plannedAt = new Date(runStart.getTime() + parseDuration(def.at));
      const fault: ScheduledFault = { def, injector: injectorFor(def), plannedAt, done: Promise.resolve() };
      fault.done = this.runOne(fault, signal);
      this.faults.push(fault);
    }
  }

  private async runOne(fault: ScheduledFault, signal: AbortSignal): Promise<void> {
    const { def } = fault;
    await sleep(fault.plannedAt.getTime() - Date.now(), signal);
    if (signal.aborted) {
      this.anchors.mark(`${def.id}.start`, undefined);
      this.anchors.mark(`${def.id}.end`, undefined);
      return;
    }
    try {
      fault.handle = await fault.injector.inject({ ...this.contextFor(def), dryRun: false });
      this.anchors.mark(`${def.id}.start`, fault.handle.injectedAt);
    } catch (err) {
      // The injector has put the failure on the timeline itself, with the stage it failed in.
      fault.error = (err as Error).message;
      this.anchors.mark(`${def.id}.start`, undefined);
      this.anchors.mark(`${def.id}.end`, undefined);
      return;
    }
    await sleep(fault.handle.injectedAt.getTime() + parseDuration(def.duration) - Date.now(), signal);
    await this.rollback(fault);
  }

  private async rollback(fault: ScheduledFault): Promise<void> {
    if (!fault.handle) return;
    try {
      await fault.handle.rollback();
    } catch (err) {
      fault.error = `rollback failed: ${(err as Error).message}`;
    }
    this.anchors.mark(`${fault.def.id}.end`, fault.handle.rolledBackAt);
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
    return this.faults.flatMap(({ def, handle }) =>
      handle ? [{ id: def.id, injector: def.injector, ...(def.target ? { target: def.target } : {}), from: handle.injectedAt, ...(handle.rolledBackAt ? { to: handle.rolledBackAt } : {}), blinds: def.blinds }] : [],
    );
  }

  results(): FaultResult[] {
    return this.faults.map(({ def, handle, plannedAt, error }) => ({
      id: def.id,
      injector: def.injector,
      ...(def.target ? { target: def.target } : {}),
      params: def.with,
      plannedAt: plannedAt.toISOString(),
      ...(handle ? { injectedAt: handle.injectedAt.toISOString(), evidence: handle.evidence } : {}),
      ...(handle?.rolledBackAt ? { rolledBackAt: handle.rolledBackAt.toISOString() } : {}),
      effectVerified: handle?.effectVerified ?? false,
      ...(def.blinds.length ? { blinds: def.blinds } : {}),
      ...(error ? { error } : {}),
    }));
  }
}
