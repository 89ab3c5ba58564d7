import { randomBytes } from "node:crypto";
import { BatchV1Api, CoreV1Api, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { apiMessage, apiStatus } from "../../core/kube-config.js";
import type { LoadCollector, VegetaResult } from "../load-collector.js";
import { totalDurationMs, type LoadPlan } from "../load-plan.js";
import { followRunnerLog } from "./runner-logs.js";
import { RunnerMerge, type RunnerFigures } from "./runner-merge.js";
import { RUNNER_LABEL, runnerJob, runnerTargetsConfigMap, serviceUrl, type InClusterService } from "./runner-job.js";
import { runnerTargets } from "./runner-targets.js";
import { expectedRequests, runnerStages, splitPlan } from "./split-plan.js";

export interface DistributedLoadOptions {
  kc: KubeConfig;
  service: InClusterService;
  runners: number;
  image: string;
  signal?: AbortSignal;
  onResult?: (result: VegetaResult) => void;
  /** From now to the shared start: time for the pods to be scheduled and started. */
  startDelayMs?: number;
}

/** What the report says about a distributed load, beside the merged figures. */
export interface DistributedFigures {
  runners: number;
  image: string;
  job: string;
  target: string;
  startAt: string;
  startSkewMs?: number;
  askedRps: number;
  perRunner: RunnerFigures[];
  /** The harness's own memory while it merged: heap before, and the peaks of heap and RSS, in MiB. */
  mergeMemoryMb: { heapBefore: number; heapPeak: number; rssPeak: number };
}

const POLL_MS = 1000;
/** A pod over this long whose log read has not ended is read no more: its lines are in. */
const ENDED_GRACE_MS = 10_000;
/** A runner not started this long after the shared start is not going to send its share. */
const NEVER_STARTED_MS = 60_000;
const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

function podState(pod: V1Pod | undefined): { over: boolean; words: string } {
  if (!pod) return { over: true, words: "its pod is gone (deleted or evicted)" };
  const phase = pod.status?.phase ?? "Pending";
  const term = pod.status?.containerStatuses?.[0]?.state?.terminated;
  const why = [pod.status?.reason, term ? `exit ${term.exitCode}${term.reason ? ` (${term.reason})` : ""}` : "", pod.status?.message]
    .filter(Boolean)
    .join(", ");
  return {
    over: phase === "Succeeded" || phase === "Failed" || Boolean(pod.metadata?.deletionTimestamp),
    words: `pod ${pod.metadata?.name} ${phase}${why ? `: ${why}` : ""}`,
  };
}

function waiting(pod: V1Pod): string {
  const w = pod.status?.containerStatuses?.[0]?.state?.waiting;
  return `pod ${pod.metadata?.name} still ${pod.status?.phase ?? "Pending"}${w ? `: ${w.reason}${w.message ? ` (${w.message})` : ""}` : ""}`;
}

/**
 * Load as an Indexed Job: N runner pods of the load-runner image, each sending 1/N of the plan to
 * the target's Service, all from one start time; their logs are followed and merged as they come
 * into the same collector local load fills. A runner that dies is reported with its share; the
 * Job is deleted whatever happens (an abort included), and bounded by its deadline if we die.
 */
export class DistributedLoad {
  readonly startAt: Date;
  private readonly merge: RunnerMerge;
  private readonly share: LoadPlan;
  private readonly job: string;
  private readonly target: string;
  private readonly targetsText: string;
  private memory = { heapBefore: 0, heapPeak: 0, rssPeak: 0 };

  constructor(
    readonly plan: LoadPlan,
    private readonly options: DistributedLoadOptions,
  ) {
    this.target = serviceUrl(options.service);
    this.share = splitPlan(plan, options.runners);
    this.startAt = new Date(Date.now() + (options.startDelayMs ?? 20_000));
    this.job = `slo-harness-load-${randomBytes(3).toString("hex")}`;
    const perRunner = expectedRequests(this.share);
    const targets = runnerTargets(plan, this.target, Math.ceil(perRunner * options.runners));
    this.targetsText = targets.text;
    this.merge = new RunnerMerge(options.runners, perRunner, targets.templateOf, options.onResult);
  }

  get collector(): LoadCollector {
    return this.merge.collector;
  }

  figures(): DistributedFigures {
    const skew = this.merge.startSkewMs();
    return {
      runners: this.options.runners,
      image: this.options.image,
      job: `${this.options.service.namespace}/${this.job}`,
      target: this.target,
      startAt: this.startAt.toISOString(),
      ...(skew !== undefined ? { startSkewMs: skew } : {}),
      askedRps: expectedRequests(this.plan) / (totalDurationMs(this.plan) / 1000),
      perRunner: this.merge.figures(),
      mergeMemoryMb: { heapBefore: mib(this.memory.heapBefore), heapPeak: mib(this.memory.heapPeak), rssPeak: mib(this.memory.rssPeak) },
    };
  }

  /** Runs the Job to its end (or the abort), merging as it goes; the Job is gone when this returns. */
  async run(): Promise<LoadCollector> {
    const { kc, service, runners, image, signal } = this.options;
    const namespace = service.namespace;
    const core = kc.makeApiClient(CoreV1Api);
    const batch = kc.makeApiClient(BatchV1Api);
    const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
      try {
        return await fn();
      } catch (err) {
        throw new Error(`distributed load: ${what} in namespace ${namespace}: ${apiMessage(err)}`, { cause: err });
      }
    };
    const svc = await call(`reading the target Service ${service.name}`, () => core.readNamespacedService({ name: service.name, namespace }));
    const ip = svc.spec?.clusterIP;
    const hostAliases = ip && ip !== "None" ? [{ ip, hostnames: [new URL(this.target).hostname] }] : [];
    const deadlineMs = this.startAt.getTime() + totalDurationMs(this.plan) + this.plan.timeoutMs + 60_000;
    const spec = runnerJob({
      name: this.job,
      namespace,
      image,
      runners,
      startAtMs: this.startAt.getTime(),
      stages: runnerStages(this.share),
      timeoutMs: this.plan.timeoutMs,
      baseUrl: this.target,
      hostAliases,
      activeDeadlineSeconds: Math.ceil((deadlineMs - Date.now()) / 1000),
    });
    const followers = new Map<number, { done: Promise<void>; stop: AbortController; overSince?: number }>();
    this.memory = { heapBefore: process.memoryUsage().heapUsed, heapPeak: 0, rssPeak: 0 };
    try {
      const created = await call(`creating Job ${this.job}`, () => batch.createNamespacedJob({ namespace, body: spec }));
      await call(`creating the targets ConfigMap ${this.job}`, () =>
        core.createNamespacedConfigMap({ namespace, body: runnerTargetsConfigMap(created, this.targetsText) }),
      );
      while (this.merge.pending().length > 0 && !signal?.aborted && Date.now() < deadlineMs) {
        this.sampleMemory();
        const pods = await call(`listing Job ${this.job}'s pods`, () => core.listNamespacedPod({ namespace, labelSelector: `${RUNNER_LABEL}=${this.job}` }));
        const byIndex = new Map(pods.items.map((p) => [Number(p.metadata?.annotations?.["batch.kubernetes.io/job-completion-index"]), p]));
        for (const index of this.merge.pending()) {
          const pod = byIndex.get(index);
          const follower = followers.get(index);
          const state = podState(pod);
          if (!follower) {
            if (pod && pod.status?.phase !== "Pending") followers.set(index, this.follow(index, pod, core));
            else if (pod && state.over) this.merge.fail(index, state.words);
            else if (Date.now() > this.startAt.getTime() + NEVER_STARTED_MS)
              this.merge.fail(index, pod ? `${waiting(pod)}, a minute past the start` : "no pod ran for this index");
            continue;
          }
          if (state.over) {
            follower.overSince ??= Date.now();
            if (Date.now() - follower.overSince > ENDED_GRACE_MS) follower.stop.abort();
          }
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      for (const index of this.merge.pending()) {
        this.merge.fail(index, signal?.aborted ? "the run was interrupted" : "still running at the Job's deadline");
        followers.get(index)?.stop.abort();
      }
      await Promise.all([...followers.values()].map((f) => f.done));
      this.sampleMemory();
      return this.merge.collector;
    } finally {
      for (const f of followers.values()) f.stop.abort();
      await this.deleteJob(batch);
    }
  }

  private follow(index: number, pod: V1Pod, core: CoreV1Api): { done: Promise<void>; stop: AbortController } {
    const stop = new AbortController();
    const name = pod.metadata!.name!;
    const namespace = pod.metadata!.namespace!;
    let last: V1Pod | undefined = pod;
    const stillRunning = async () => {
      try {
        last = await core.readNamespacedPod({ name, namespace });
      } catch (err) {
        if (apiStatus(err) !== 404) return true;
        last = undefined;
      }
      return !podState(last).over;
    };
    const done = followRunnerLog(this.options.kc, { namespace, name }, (line) => this.merge.line(index, line), { stillRunning, signal: stop.signal })
      .then(() => this.merge.ended(index, podState(last).words))
      // A pod deleted before its log was read to the end: its lines so far are merged, the rest never ran.
      .catch((err: Error) => this.merge.ended(index, apiStatus(err.cause) === 404 ? podState(undefined).words : err.message));
    return { done, stop };
  }

  private sampleMemory(): void {
    const { heapUsed, rss } = process.memoryUsage();
    this.memory.heapPeak = Math.max(this.memory.heapPeak, heapUsed);
    this.memory.rssPeak = Math.max(this.memory.rssPeak, rss);
  }

  /** Idempotent; the ConfigMap goes with the Job (its owner) and so do the pods. */
  private async deleteJob(batch: BatchV1Api): Promise<void> {
    const namespace = this.options.service.namespace;
    try {
      await batch.deleteNamespacedJob({ name: this.job, namespace, propagationPolicy: "Background" });
    } catch (err) {
      if (apiStatus(err) !== 404) throw new Error(`distributed load: deleting Job ${namespace}/${this.job}: ${apiMessage(err)}`, { cause: err });
    }
  }
}
