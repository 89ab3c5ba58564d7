import { z } from "zod";
import { STACK_COMPONENTS, type ComponentProcess, type ProcessControl } from "../core/environment.js";
import { formatDuration } from "../core/durations.js";
import { guardBlastRadius } from "./blast-radius.js";
import type { FaultContext, FaultHandle, Injector } from "./injector.js";
import { injectFault, type FaultPlan, type FaultSteps } from "./utils/fault-handle.js";
import { durationMs, parseParams } from "./utils/params.js";
import { crashRestartSteps, restartDelay } from "./utils/crash-restart.js";
import { pollUntil } from "./utils/poll.js";
import { groupMembers, processState } from "./utils/process-state.js";
import { resumeGroup } from "./utils/undo-actions.js";

/** The stack's own components and the harness's alert receiver: what runs as a process here. */
export const LOCAL_COMPONENTS = [...STACK_COMPONENTS, "alert-receiver"] as const;

export const ProcessParams = z.discriminatedUnion(
  "mode",
  [z.strictObject({ mode: z.literal("kill-restart"), restartAfter: durationMs.optional() }), z.strictObject({ mode: z.literal("pause") })],
  { error: 'expected mode "kill-restart" (SIGKILL, then a restart like a pod\'s) or "pause" (SIGSTOP until rollback)' },
);
export type ProcessParams = z.output<typeof ProcessParams>;

/**
 * A component of the local stack crashes and comes back like a restarted pod (kill-restart),
 * or hangs without dying (pause). Aimed at the collector or Prometheus, monitoring goes blind.
 */
export class ProcessInjector implements Injector {
  readonly name = "process";
  readonly requires = ["processes"] as const;

  describe(plan: FaultPlan): string {
    const { params, target, restartAfterMs } = this.check(plan);
    const bound = formatDuration(plan.maxDurationMs);
    if (params.mode === "pause") {
      return `process on "${target}": SIGSTOP its process group for at most ${bound} and check /proc shows it stopped (state T); rollback sends SIGCONT and waits for its health check`;
    }
    return `process on "${target}": SIGKILL its process group, restart it ${formatDuration(restartAfterMs)} later like a pod restart (fault bounded to ${bound}); rollback checks it is running and answers its health check`;
  }

  async inject(ctx: FaultContext): Promise<FaultHandle> {
    const { params, target, restartAfterMs } = this.check(ctx);
    const processes = ctx.environment.processes;
    if (!processes) {
      throw new Error(
        `faults[${ctx.faultId}]: the process injector signals processes of a stack run as processes (the local provider); this environment's provider is "${ctx.environment.provider}"`,
      );
    }
    const runDir = ctx.endpoints.runDir;
    let record: ComponentProcess;
    try {
      record = processes.process(target);
    } catch (err) {
      throw new Error(`faults[${ctx.faultId}].target: ${(err as Error).message}`, { cause: err });
    }
    const info = { injector: this.name, target, params: params.mode === "kill-restart" ? { mode: params.mode, restartAfterMs } : params };
    if (params.mode === "pause") {
      return injectFault(ctx, info, {
        undo: [{ kind: "signal-group", pgid: record.pid, startTime: record.startTime, signal: "SIGCONT", runDir, component: target }],
        ...pauseSteps(processes, record),
      });
    }
    return injectFault(ctx, info, {
      undo: [{ kind: "restart-component", runDir, component: target }],
      ...killRestartSteps(ctx, processes, record, restartAfterMs),
    });
  }

  private check(plan: FaultPlan): { params: ProcessParams; target: string; restartAfterMs: number } {
    const params = parseParams(ProcessParams, plan.faultId, plan.params);
    const target = plan.target;
    // The experiment's own target runs as one more component of the stack.
    const components = [...LOCAL_COMPONENTS, ...(plan.systemUnderTest ? [plan.systemUnderTest] : [])];
    if (!target || !components.includes(target)) {
      throw new Error(
        `faults[${plan.faultId}].target: expected a component of the local stack (${components.join(", ")}), got ${target ? `"${target}"` : "nothing"}`,
      );
    }
    guardBlastRadius(plan.faultId, this.name, target, plan.allowlist);
    const restartAfterMs = params.mode === "kill-restart" ? restartDelay(plan, params.restartAfter) : 0;
    return { params, target, restartAfterMs };
  }
}

function pauseSteps(processes: ProcessControl, record: ComponentProcess): Omit<FaultSteps, "undo"> {
  return {
    apply: async () => {
      processes.signal(record.name, "SIGSTOP");
    },
    verify: async () => {
      // SIGSTOP reaches each member when it is next scheduled; on a busy machine that takes a moment.
      const members = await pollUntil(
        `every process of ${record.name}'s group ${record.pid} in state T`,
        async () => {
          const group = groupMembers(record.pid);
          return group.length > 0 && group.every((m) => m.state === "T") ? group.length : undefined;
        },
        3000,
        20,
      );
      return `${record.name} pid ${record.pid} has state ${processState(record.pid)} (stopped) in /proc/${record.pid}/stat; all ${members} processes in its group are stopped`;
    },
    remove: () => resumeGroup(record.pid, record.startTime, () => processes.waitHealthy(record.name, 30_000)),
  };
}

function killRestartSteps(ctx: FaultContext, processes: ProcessControl, record: ComponentProcess, restartAfterMs: number): Omit<FaultSteps, "undo"> {
  return crashRestartSteps(ctx, {
    injector: "process",
    component: record.name,
    restartAfterMs,
    kill: async () => {
      processes.signal(record.name, "SIGKILL");
    },
    confirmDown: async (killedAt) => {
      const goneMs = await pollUntil(
        `every process of ${record.name}'s group ${record.pid} to be gone`,
        async () => (groupMembers(record.pid).length === 0 ? Date.now() - killedAt : undefined),
        3000,
        20,
      );
      return `SIGKILL to ${record.name}'s process group ${record.pid}: all of it gone ${goneMs} ms after the kill`;
    },
    start: async () => {
      const proc = await processes.restart(record.name);
      if (!processes.isRunning(record.name)) throw new Error(`${record.name} is not running after its restart`);
      return { evidence: `${record.name} restarted as pid ${proc.pid} and answered its health check`, details: { pid: proc.pid } };
    },
  });
}
