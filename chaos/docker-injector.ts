import { z } from "zod";
import { formatDuration } from "../core/durations.js";
import { STACK_COMPONENTS } from "../core/environment.js";
import { guardBlastRadius } from "./blast-radius.js";
import type { FaultContext, FaultHandle, Injector } from "./injector.js";
import { injectFault, type FaultPlan, type FaultSteps } from "./utils/fault-handle.js";
import {
  containerState,
  disconnectContainer,
  killContainer,
  pauseContainer,
  reconnectContainer,
  startContainer,
  unpauseContainer,
} from "./utils/docker-containers.js";
import { durationMs, parseParams } from "./utils/params.js";
import { crashRestartSteps, restartDelay } from "./utils/crash-restart.js";
import { pollUntil } from "./utils/poll.js";

const CONTAINERS: readonly string[] = STACK_COMPONENTS;

export const DockerParams = z.discriminatedUnion(
  "mode",
  [
    z.strictObject({ mode: z.literal("kill-restart"), restartAfter: durationMs.optional() }),
    z.strictObject({ mode: z.literal("pause") }),
    z.strictObject({ mode: z.literal("disconnect") }),
  ],
  {
    error:
      'expected mode "pause" (docker pause until rollback), "kill-restart" (docker kill, then start again like a pod) or "disconnect" (off the stack\'s network until rollback)',
  },
);
export type DockerParams = z.output<typeof DockerParams>;

/**
 * A container of the testcontainers stack hangs (pause: its cgroup is frozen), crashes and comes
 * back (kill-restart), or is cut off the network (disconnect). Aimed at the collector or
 * Prometheus, monitoring goes blind.
 */
export class DockerInjector implements Injector {
  readonly name = "docker";
  readonly requires = ["containers"] as const;

  describe(plan: FaultPlan): string {
    const { params, target, restartAfterMs } = this.check(plan);
    const bound = formatDuration(plan.maxDurationMs);
    if (params.mode === "pause")
      return `docker on "${target}": docker pause its container for at most ${bound} and check docker reports it paused; rollback unpauses it`;
    if (params.mode === "disconnect")
      return `docker on "${target}": disconnect its container from the stack's network for at most ${bound} (nothing reaches it, it reaches nothing); rollback connects it again`;
    return `docker on "${target}": docker kill (SIGKILL) its container, start it ${formatDuration(restartAfterMs)} later like a pod restart (fault bounded to ${bound}); rollback checks it runs`;
  }

  async inject(ctx: FaultContext): Promise<FaultHandle> {
    const { params, target, restartAfterMs } = this.check(ctx);
    const containers = ctx.environment.containers;
    if (!containers) {
      throw new Error(
        `faults[${ctx.faultId}]: the docker injector acts on the containers of a stack run in Docker (the testcontainers provider); this environment's provider is "${ctx.environment.provider}" (use the process injector there)`,
      );
    }
    if (!containers.components.includes(target))
      throw new Error(`faults[${ctx.faultId}].target: this stack runs no ${target} container; it has ${containers.components.join(", ")}`);
    const id = containers.containerId(target);
    const info = { injector: this.name, target, params: params.mode === "kill-restart" ? { mode: params.mode, restartAfterMs } : params };
    if (params.mode === "pause") return injectFault(ctx, info, { undo: [{ kind: "docker-unpause", containerId: id }], ...pauseSteps(target, id) });
    if (params.mode === "disconnect") {
      const network = containers.network;
      return injectFault(ctx, info, { undo: [{ kind: "docker-connect", containerId: id, network }], ...disconnectSteps(target, id, network) });
    }
    return injectFault(ctx, info, { undo: [{ kind: "docker-start", containerId: id }], ...killRestartSteps(ctx, target, id, restartAfterMs) });
  }

  private check(plan: FaultPlan): { params: DockerParams; target: string; restartAfterMs: number } {
    const params = parseParams(DockerParams, plan.faultId, plan.params);
    const target = plan.target;
    // The experiment's own target runs as one more component of the stack.
    const components = [...CONTAINERS, ...(plan.systemUnderTest ? [plan.systemUnderTest] : [])];
    if (!target || !components.includes(target)) {
      throw new Error(
        `faults[${plan.faultId}].target: expected a container of the testcontainers stack (${components.join(", ")}), got ${target ? `"${target}"` : "nothing"}`,
      );
    }
    guardBlastRadius(plan.faultId, this.name, target, plan.allowlist);
    const restartAfterMs = params.mode === "kill-restart" ? restartDelay(plan, params.restartAfter) : 0;
    return { params, target, restartAfterMs };
  }
}

function pauseSteps(target: string, id: string): Omit<FaultSteps, "undo"> {
  return {
    apply: () => pauseContainer(id),
    verify: async () => {
      const state = await containerState(id);
      if (!state?.paused) throw new Error(`docker reports ${target} (${id.slice(0, 12)}) as ${state?.status ?? "gone"}, not paused`);
      return `docker reports ${target} (${id.slice(0, 12)}) paused: its processes are frozen in their cgroup`;
    },
    remove: () => unpauseContainer(id),
  };
}

function disconnectSteps(target: string, id: string, network: string): Omit<FaultSteps, "undo"> {
  return {
    apply: () => disconnectContainer(id, network),
    verify: async () => {
      const state = await containerState(id);
      if (!state || state.networks.includes(network)) throw new Error(`docker still lists ${target} (${id.slice(0, 12)}) on ${network}`);
      return `docker lists ${target} (${id.slice(0, 12)}) on ${state.networks.length ? state.networks.join(", ") : "no network"}, not ${network}: the stack cannot reach it, nor its published ports`;
    },
    remove: () => reconnectContainer(id, network),
  };
}

function killRestartSteps(ctx: FaultContext, target: string, id: string, restartAfterMs: number): Omit<FaultSteps, "undo"> {
  return crashRestartSteps(ctx, {
    injector: "docker",
    component: target,
    restartAfterMs,
    kill: () => killContainer(id),
    confirmDown: async (killedAt) => {
      const status = await pollUntil(
        `${target} to stop`,
        async () => {
          const state = await containerState(id);
          return state && !state.running ? state.status : undefined;
        },
        5000,
        50,
      );
      return `docker kill ${target} (${id.slice(0, 12)}): docker reports it ${status} ${Date.now() - killedAt} ms after the kill`;
    },
    start: async () => ({ evidence: await startContainer(id) }),
  });
}
