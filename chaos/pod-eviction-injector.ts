import { isLabelSelector } from "../core/label-selector.js";
import { z } from "zod";
import { loadKubeConfig } from "../core/kube-config.js";
import { formatDuration } from "../core/durations.js";
import { chaosNamespaceRefusal } from "../core/operator-guards.js";
import { guardBlastRadius } from "./blast-radius.js";
import type { FaultContext, FaultHandle, Injector } from "./injector.js";
import { injectFault, type FaultPlan, type FaultSteps } from "./utils/fault-handle.js";
import type { EvictionOutcome, NamespacePods, PodState } from "./utils/kubernetes-pods.js";
import { durationMs, parseParams } from "./utils/params.js";
import { pollUntil } from "./utils/poll.js";

const DEFAULT_WAIT_READY_MS = 60_000;
const POLL_MS = 250;

export const PodEvictionParams = z
  .strictObject({
    selector: z
      .string({ error: 'expected a label selector like "app=checkout-api"' })
      .min(1, { error: 'expected a label selector like "app=checkout-api"' })
      .refine(isLabelSelector, { error: 'expected a Kubernetes label selector like "app=checkout-api" or "tier in (api, web),!canary"' }),
    count: z.number().int().positive().optional(),
    percent: z.number().gt(0).max(100).optional(),
    /** How long to wait for the replacements to be Ready before the effect counts as unverified. */
    waitReady: durationMs.optional(),
    gracePeriodSeconds: z.number().int().min(0).optional(),
  })
  .refine((p) => p.count === undefined || p.percent === undefined, {
    error: 'give either "count" (pods) or "percent" (of the matching Running pods), not both',
  });
export type PodEvictionParams = z.output<typeof PodEvictionParams>;

/**
 * Evicts pods the way a node drain does: through the policy/v1 Eviction API, so the cluster's
 * PodDisruptionBudgets are honoured. Nothing can be undone; the rollback records how many of the
 * pods that were Ready before are Ready again.
 */
export class PodEvictionInjector implements Injector {
  readonly name = "pod-eviction";
  readonly requires = ["kubernetes"] as const;

  describe(plan: FaultPlan): string {
    const { params, namespace, waitReadyMs } = this.check(plan);
    const how =
      params.percent !== undefined ? `${params.percent}% of the Running pods` : `${params.count ?? 1} Running pod${(params.count ?? 1) > 1 ? "s" : ""}`;
    return `pod-eviction in namespace "${namespace}": evict ${how} matching ${params.selector} through the policy/v1 Eviction API (PodDisruptionBudgets are honoured; a refusal is reported), then wait up to ${formatDuration(waitReadyMs)} for replacements to be Ready; an eviction cannot be undone, so rollback only records the pods' state`;
  }

  async inject(ctx: FaultContext): Promise<FaultHandle> {
    const { params, namespace, waitReadyMs } = this.check(ctx);
    const access = ctx.endpoints.kubernetes;
    if (!access)
      throw new Error(
        `faults[${ctx.faultId}]: pod-eviction needs a Kubernetes cluster; this environment's provider is "${ctx.environment.provider}" (use kind or existing)`,
      );
    const refusal = chaosNamespaceRefusal(namespace, access);
    if (refusal) throw new Error(`faults[${ctx.faultId}].target: ${refusal}`);
    // Imported on use: with the Kubernetes client it costs every command ~0.6 s at startup.
    const { NamespacePods } = await import("./utils/kubernetes-pods.js");
    const pods = new NamespacePods(await loadKubeConfig(access), namespace, params.selector);
    const info = { injector: this.name, target: namespace, params: { ...params, waitReadyMs } };
    return injectFault(ctx, info, { undo: [], ...evictionSteps(pods, params, waitReadyMs) });
  }

  private check(plan: FaultPlan): { params: PodEvictionParams; namespace: string; waitReadyMs: number } {
    const params = parseParams(PodEvictionParams, plan.faultId, plan.params);
    const namespace = plan.target;
    if (!namespace) throw new Error(`faults[${plan.faultId}].target: expected the namespace of the pods to evict, e.g. target: shop`);
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

function victims(running: PodState[], params: PodEvictionParams): PodState[] {
  const wanted = params.percent !== undefined ? Math.ceil((running.length * params.percent) / 100) : (params.count ?? 1);
  // Random, like a real disruption: a fixed choice would always spare the same pods.
  const pool = [...running];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, wanted);
}

function evictionSteps(pods: NamespacePods, params: PodEvictionParams, waitReadyMs: number): Omit<FaultSteps, "undo"> {
  const where = `${pods.selector} in ${pods.namespace}`;
  let readyBefore = 0;
  let podsBefore = new Set<string>();
  let outcomes: EvictionOutcome[] = [];
  let evictedAt = 0;
  return {
    apply: async () => {
      const listed = await pods.list();
      podsBefore = new Set(listed.map((p) => p.name));
      const running = listed.filter((p) => p.phase === "Running" && !p.terminating);
      readyBefore = running.filter((p) => p.ready).length;
      if (running.length === 0) throw new Error(`no Running pod matches ${where} (${listed.length} pods in other phases)`);
      evictedAt = Date.now();
      outcomes = [];
      // One at a time, as a drain does: a budget may allow the first and refuse the next.
      for (const pod of victims(running, params)) outcomes.push(await pods.evict(pod.name, params.gracePeriodSeconds));
    },
    verify: async () => {
      const evicted = outcomes.filter((o) => o.evicted).map((o) => o.pod);
      const refused = outcomes.filter((o): o is Extract<EvictionOutcome, { evicted: false }> => !o.evicted);
      const refusals = refused.length ? `; refused by a PodDisruptionBudget: ${refused.map((r) => `${r.pod} (${r.refusal})`).join(", ")}` : "";
      if (evicted.length === 0) throw new Error(`every eviction was refused${refusals}`);
      const replaced = await pollUntil(
        `${evicted.length} evicted pod(s) gone and ${readyBefore} pods Ready again (${where})`,
        async () => {
          const now = await pods.list();
          const gone = evicted.every((name) => !now.some((p) => p.name === name && !p.terminating));
          const ready = now.filter((p) => p.ready && !p.terminating && !evicted.includes(p.name));
          return gone && ready.length >= readyBefore ? ready : undefined;
        },
        waitReadyMs,
        POLL_MS,
      );
      const fresh = replaced.map((p) => p.name).filter((n) => !podsBefore.has(n));
      return `evicted ${evicted.join(", ")} (${where}) through the Eviction API; ${readyBefore} pods Ready again ${Date.now() - evictedAt} ms later, new: ${fresh.join(", ") || "none"}${refusals}`;
    },
    remove: async () => {
      const now = await pods.list();
      const ready = now.filter((p) => p.ready && !p.terminating).length;
      return `nothing to undo (an eviction is final); ${ready} of the ${readyBefore} pods Ready before are Ready now (${where})`;
    },
  };
}
