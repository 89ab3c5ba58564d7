import { z } from "zod";
import type { ComponentName } from "../env/environment.js";
import { componentProcess, isComponentRunning, restartComponent, signalComponent } from "../env/local/component-control.js";
import type { ProcessRecord } from "../env/local/utils/managed-process.js";
import { formatDuration } from "../runner/durations.js";
import { guardBlastRadius } from "./blast-radius.js";
import type { FaultContext, FaultHandle, Injector } from "./injector.js";
import { dryRunHandle, injectFault, type FaultPlan, type FaultSteps } from "./utils/fault-handle.js";
import { durationMs, parseParams } from "./utils/params.js";
import { crashRestartSteps, restartDelay } from "./utils/crash-restart.js";
import { pollUntil } from "./utils/poll.js";
import { groupMembers, processState } from "./utils/process-state.js";
import { resumeGroup } from "./utils/undo-actions.js";

export const LOCAL_COMPONENTS = [
  "postgres",
  "otel-collector",
  "prometheus",
  "jaeger",
  "victoria-logs",
  "alertmanager",
  "genomics-api",
  "alert-receiver",
  "toxiproxy",
] as const satisfies readonly ComponentName[];

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
    if (ctx.dryRun) return dryRunHandle(ctx.faultId, this.describe(ctx));
    if (ctx.environment.provider !== "local") {
      throw new Error(`faults[${ctx.faultId}]: the process injector signals processes of the local provider's stack; this environment's provider is "${ctx.environment.provider}"`);
    }
    const runDir = ctx.endpoints.runDir;
    let record: ProcessRecord;
    try {
      record = componentProcess(runDir, target);
    } catch (err) {
      throw new Error(`faults[${ctx.faultId}].target: ${(err as Error).message}`, { cause: err });
    }
    const info = { injector: this.name, target, params: params.mode === "kill-restart" ? { mode: params.mode, restartAfterMs } : params };
    if (params.mode === "pause") {
      return injectFault(ctx, info, { undo: [{ kind: "signal-group", pgid: record.pid, startTime: record.startTime, signal: "SIGCONT" }], ...pauseSteps(runDir, record) });
    }
    return injectFault(ctx, info, { undo: [{ kind: "restart-component", runDir, component: target }], ...killRestartSteps(ctx, record, restartAfterMs) });
  }

  private check(plan: FaultPlan): { params: ProcessParams; target: string; restartAfterMs: number } {
    const params = parseParams(ProcessParams, plan.faultId, plan.params);
    const target = plan.target;
    if (!target || !(LOCAL_COMPONENTS as readonly string[]).includes(target)) {
      throw new Error(`faults[${plan.faultId}].target: expected a component of the local stack (${LOCAL_COMPONENTS.join(", ")}), got ${target ? `"${target}"` : "nothing"}`);
    }
    guardBlastRadius(plan.faultId, this.name, target, plan.allowlist);
    const restartAfterMs = params.mode === "kill-restart" ? restartDelay(plan, params.restartAfter) : 0;
    return { params, target, restartAfterMs };
  }
}

function pauseSteps(runDir: string, record: ProcessRecord): Omit<FaultSteps, "undo"> {
  return {
    apply: async () => {
      signalComponent(runDir, record.name, "SIGSTOP");
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
    remove: () => resumeGroup(record.pid, record.startTime, record.readyUrl),
  };
}

function killRestartSteps(ctx: FaultContext, record: ProcessRecord, restartAfterMs: number): Omit<FaultSteps, "undo"> {
  const runDir = ctx.endpoints.runDir;
  return crashRestartSteps(ctx, {
    injector: "process",
    component: record.name,
    restartAfterMs,
    kill: async () => {
      signalComponent(runDir, record.name, "SIGKILL");
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
      const proc = await restartComponent(runDir, record.name);
      if (!isComponentRunning(runDir, record.name)) throw new Error(`${record.name} is not running after its restart (state file of ${runDir})`);
      return { evidence: `${record.name} restarted as pid ${proc.pid} and answered its health check`, details: { pid: proc.pid } };
    },
  });
}
