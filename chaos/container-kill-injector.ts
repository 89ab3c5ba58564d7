import type { CoreV1Api, KubeConfig, V1ContainerStatus } from "@kubernetes/client-node";
import { z } from "zod";
import { apiMessage, loadKubeConfig } from "../core/kube-config.js";
import { formatDuration } from "../core/durations.js";
import { chaosNamespaceRefusal } from "../core/operator-guards.js";
import { isLabelSelector } from "../core/label-selector.js";
import { guardBlastRadius } from "./blast-radius.js";
import type { FaultContext, FaultHandle, Injector } from "./injector.js";
import { execInContainer } from "./utils/container-exec.js";
import { injectFault, type FaultPlan, type FaultSteps } from "./utils/fault-handle.js";
import { durationMs, parseParams } from "./utils/params.js";
import { pollUntil } from "./utils/poll.js";

const DEFAULT_WAIT_READY_MS = 60_000;
// No KILL: PID 1 never receives a SIGKILL sent from inside its own PID namespace.
const SIGNALS = ["TERM", "INT", "QUIT", "HUP"] as const;

export const ContainerKillParams = z.strictObject({
  selector: z
    .string({ error: 'expected a label selector like "app=checkout-api"' })
    .min(1, { error: 'expected a label selector like "app=checkout-api"' })
    .refine(isLabelSelector, { error: 'expected a Kubernetes label selector like "app=checkout-api" or "tier in (api, web),!canary"' }),
  /** Default: the pod's first container. */
  container: z.string().min(1).optional(),
  count: z.number().int().positive().default(1),
  /** Sent to the container's main process (PID 1) from inside it. */
  signal: z.enum(SIGNALS, { error: `expected one of ${SIGNALS.join(", ")}` }).default("TERM"),
  /** How long to wait for kubelet to restart the container and for it to be Ready again. */
  waitReady: durationMs.optional(),
});
export type ContainerKillParams = z.output<typeof ContainerKillParams>;

interface Victim {
  pod: string;
  container: string;
  restartsBefore: number;
}

const containerStatus = (statuses: V1ContainerStatus[] | undefined, name: string) => statuses?.find((s) => s.name === name);

/**
 * Kills a container's main process so that kubelet restarts the container in place (its
 * restartCount rises; kubelet records Started, and BackOff when it crashes again soon): `kill -s
 * SIGNAL 1` through the exec API, as `kubectl exec` would. From inside its own PID namespace,
 * PID 1 only receives signals it handles (SIGKILL never), so the default is TERM, which every
 * server handles by exiting; a signal it ignores leaves the container running, and the fault is
 * reported as not having taken effect.
 */
export class ContainerKillInjector implements Injector {
  readonly name = "container-kill";
  readonly requires = ["kubernetes"] as const;

  describe(plan: FaultPlan): string {
    const { params, namespace, waitReadyMs } = this.check(plan);
    return `container-kill in namespace "${namespace}": in ${params.count} Ready pod${params.count > 1 ? "s" : ""} matching ${params.selector}, send SIG${params.signal} to ${params.container ? `container ${params.container}'s` : "the first container's"} main process (kill -s ${params.signal} 1, through the exec API), then wait up to ${formatDuration(waitReadyMs)} for kubelet to restart it and for it to be Ready; a restart cannot be undone, so rollback only records the containers' state`;
  }

  async inject(ctx: FaultContext): Promise<FaultHandle> {
    const { params, namespace, waitReadyMs } = this.check(ctx);
    const access = ctx.endpoints.kubernetes;
    if (!access)
      throw new Error(
        `faults[${ctx.faultId}]: container-kill needs a Kubernetes cluster; this environment's provider is "${ctx.environment.provider}" (use kind or existing)`,
      );
    const refusal = chaosNamespaceRefusal(namespace, access);
    if (refusal) throw new Error(`faults[${ctx.faultId}].target: ${refusal}`);
    const info = { injector: this.name, target: namespace, params: { ...params, waitReadyMs } };
    const kc = await loadKubeConfig(access);
    // Imported on use: the Kubernetes client costs every command ~0.6 s at startup.
    const { CoreV1Api } = await import("@kubernetes/client-node");
    return injectFault(ctx, info, { undo: [], ...killSteps(kc, kc.makeApiClient(CoreV1Api), namespace, params, waitReadyMs) });
  }

  private check(plan: FaultPlan): { params: ContainerKillParams; namespace: string; waitReadyMs: number } {
    const params = parseParams(ContainerKillParams, plan.faultId, plan.params);
    const namespace = plan.target;
    if (!namespace) throw new Error(`faults[${plan.faultId}].target: expected the namespace of the pods, e.g. target: shop`);
    guardBlastRadius(plan.faultId, this.name, namespace, plan.allowlist);
    const waitReadyMs = params.waitReady ?? Math.min(DEFAULT_WAIT_READY_MS, plan.maxDurationMs);
    if (waitReadyMs > plan.maxDurationMs) {
      throw new Error(
        `faults[${plan.faultId}].with.waitReady: ${formatDuration(waitReadyMs)} is longer than the fault's duration ${formatDuration(plan.maxDurationMs)}; shorten waitReady or lengthen the fault`,
      );
    }
    return { params, namespace, waitReadyMs };
  }
}

function killSteps(kc: KubeConfig, core: CoreV1Api, namespace: string, params: ContainerKillParams, waitReadyMs: number): Omit<FaultSteps, "undo"> {
  const where = `${params.selector} in ${namespace}`;
  const pods = async () => {
    try {
      return (await core.listNamespacedPod({ namespace, labelSelector: params.selector })).items;
    } catch (err) {
      throw new Error(`listing pods ${where} failed: ${apiMessage(err)}`, { cause: err });
    }
  };
  let victims: Victim[] = [];
  let execs: string[] = [];
  let killedAt = 0;
  return {
    apply: async () => {
      const ready = (await pods()).filter(
        (p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
      );
      if (ready.length === 0) throw new Error(`no Ready pod matches ${where}`);
      // Random, like a real crash: a fixed choice would always spare the same pods.
      victims = ready
        .sort(() => Math.random() - 0.5)
        .slice(0, params.count)
        .map((p) => {
          const container = params.container ?? p.spec!.containers[0]!.name;
          const status = containerStatus(p.status?.containerStatuses, container);
          if (!status) throw new Error(`pod ${p.metadata!.name} has no container "${container}" (it has ${p.spec!.containers.map((c) => c.name).join(", ")})`);
          return { pod: p.metadata!.name!, container, restartsBefore: status.restartCount };
        });
      killedAt = Date.now();
      execs = [];
      for (const v of victims) {
        const r = await execInContainer(kc, { namespace, ...v }, ["/bin/sh", "-c", `kill -s ${params.signal} 1`]);
        execs.push(`${v.pod}: ${r.status}${r.message ? ` (${r.message})` : ""}${r.output.trim() ? `: ${r.output.trim()}` : ""}`);
      }
    },
    verify: async () => {
      // A container that is never restarted ignored the signal, or the exec failed: say which.
      const restarted = await pollUntil(
        `kubelet to restart ${victims.map((v) => `${v.pod}/${v.container}`).join(", ")} and each to be Ready (${where})`,
        async () => {
          const now = await pods();
          const statuses = victims.map((v) => ({ v, s: containerStatus(now.find((p) => p.metadata?.name === v.pod)?.status?.containerStatuses, v.container) }));
          return statuses.every(({ v, s }) => s && s.restartCount > v.restartsBefore && s.ready) ? statuses : undefined;
        },
        waitReadyMs,
        250,
      ).catch((err: Error) => {
        throw new Error(`${err.message}; the exec of kill said ${execs.join("; ")}`, { cause: err });
      });
      const took = Date.now() - killedAt;
      return restarted
        .map(({ v, s }) => {
          const t = s!.lastState?.terminated;
          return `SIG${params.signal} to ${v.pod}/${v.container} (kill -s ${params.signal} 1 through the exec API): exited ${t ? `${t.exitCode} (${t.reason})` : "(no last state)"}, restarted in place by kubelet (restartCount ${v.restartsBefore} → ${s!.restartCount}), Ready again ${took} ms after the kill`;
        })
        .join("; ");
    },
    remove: async () => {
      const now = await pods();
      const states = victims.map((v) => {
        const s = containerStatus(now.find((p) => p.metadata?.name === v.pod)?.status?.containerStatuses, v.container);
        return `${v.pod}/${v.container} ${s ? `restartCount ${s.restartCount}, ${s.ready ? "Ready" : "not Ready"}` : "gone"}`;
      });
      return `nothing to undo (a restart is final); ${states.join(", ") || "no container was killed"} (${where})`;
    },
  };
}
