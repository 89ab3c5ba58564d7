import { setLongTimeout, type LongTimer } from "../../core/long-timer.js";
import { formatDuration } from "../../core/durations.js";
import type { FaultContext } from "../injector.js";
import type { FaultPlan, FaultSteps } from "./fault-handle.js";

const DEFAULT_RESTART_AFTER_MS = 5000;

/** How long a killed component stays down: as asked, else 5 s, and never longer than the fault. */
export function restartDelay(plan: FaultPlan, restartAfterMs: number | undefined): number {
  const ms = restartAfterMs ?? Math.min(DEFAULT_RESTART_AFTER_MS, plan.maxDurationMs);
  if (ms > plan.maxDurationMs) {
    throw new Error(
      `faults[${plan.faultId}].with.restartAfter: ${formatDuration(ms)} is longer than the fault's duration ${formatDuration(plan.maxDurationMs)}; shorten restartAfter or lengthen the fault`,
    );
  }
  return ms;
}

/** What differs between a process and a container crash; the restart timing is shared. */
export interface CrashRestart {
  injector: string;
  component: string;
  restartAfterMs: number;
  kill(): Promise<void>;
  /** Waits until the kill shows; evidence of it. */
  confirmDown(killedAt: number): Promise<string>;
  /** Starts the component again; evidence that it runs, and details for the timeline (e.g. the new pid). */
  start(): Promise<{ evidence: string; details?: Record<string, unknown> }>;
}

/**
 * Kill, then start again after restartAfterMs like a pod, whether or not the fault has been rolled
 * back by then; rollback starts it at once if the timer has not yet. One start, shared by both.
 */
export function crashRestartSteps(ctx: FaultContext, c: CrashRestart): Omit<FaultSteps, "undo"> {
  let killedAt = 0;
  let timer: LongTimer | undefined;
  let restarting: Promise<string> | undefined;
  const restart = (): Promise<string> => {
    timer?.cancel();
    restarting ??= c.start().then(
      ({ evidence, details }) => {
        const downMs = Date.now() - killedAt;
        ctx.timeline.add("note", { id: ctx.faultId, data: { event: "component-restarted", component: c.component, ...details, downMs } });
        return `${evidence}, ${downMs} ms after the kill`;
      },
      (err: Error) => {
        // A failed start may be retried by the rollback or the journal's recovery.
        restarting = undefined;
        throw new Error(`restarting ${c.component} failed: ${err.message}`, { cause: err });
      },
    );
    return restarting;
  };
  return {
    apply: async () => {
      await c.kill();
      killedAt = Date.now();
      timer = setLongTimeout(() => {
        restart().catch((err: Error) =>
          ctx.timeline.add("fault-error", { id: ctx.faultId, data: { injector: c.injector, stage: "restart", error: err.message } }),
        );
      }, c.restartAfterMs);
    },
    verify: async () => `${await c.confirmDown(killedAt)}; restart due ${c.restartAfterMs} ms after the kill`,
    // A partial inject (the kill never happened) leaves nothing to restart.
    remove: async () => (killedAt ? restart() : `${c.component} was never killed`),
  };
}
