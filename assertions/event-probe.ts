import type { ClusterEvent, KubernetesEventsClient } from "./clients/kubernetes-events.js";
import type { KubernetesAccess } from "../core/environment.js";
import type { Probe, ProbeAnswer, ProbeContext } from "./probe.js";
import { diagnosisOf, offset, type Diagnosis, type PathContext, type PathLiveness } from "./diagnosis/diagnosis.js";
import { iso } from "./utils/times.js";
import { z } from "zod";
import { loadKubeConfig } from "../core/kube-config.js";
import { probeKind } from "./probe-kind.js";
import { isLabelSelector } from "../core/label-selector.js";

export interface EventProbeOptions {
  namespace?: string;
  /** Killing, Evicted, BackOff, FailedScheduling, SuccessfulCreate, ... */
  reason?: string;
  involvedObject?: { kind?: string; name?: string };
  /** Only events about objects with these labels (pods, their ReplicaSets or StatefulSets, Deployments). */
  labelSelector?: string;
}

const SHOWN = 5;

/**
 * Kubernetes Events: what the cluster decided (a pod evicted, a replacement created, a container
 * backing off). First-seen is the event's own first occurrence in the window.
 */
export class EventProbe implements Probe {
  readonly signal = "event" as const;
  readonly visibility = "signal" as const;
  /** Pod owners once seen stay known, so events about pods of a since-deleted ReplicaSet still count. */
  private readonly owners = new Set<string>();
  private readonly objects = new Set<string>();

  constructor(
    private readonly client: EventSource,
    private readonly options: EventProbeOptions,
  ) {}

  describe(): string {
    const o = this.options;
    const about = [o.involvedObject?.kind, o.involvedObject?.name].filter(Boolean).join("/");
    return [
      `a Kubernetes event`,
      o.reason ? `with reason ${o.reason}` : "",
      about ? `about ${about}` : "",
      o.labelSelector ? `about objects labelled ${o.labelSelector}` : "",
      `in ${o.namespace ? `namespace ${o.namespace}` : "any namespace"}`,
    ]
      .filter(Boolean)
      .join(" ");
  }

  /** What the cluster did record in the window, so a missing reason reads against the ones that came. */
  async diagnose(ctx: PathContext): Promise<Diagnosis> {
    const namespace = this.options.namespace;
    const events = (await this.client.list(namespace ? { namespace } : {})).filter((e) => occurrenceSince(e, ctx.from) && e.first <= ctx.to);
    const where = namespace ? `namespace ${namespace}` : "the cluster";
    if (events.length === 0)
      return diagnosisOf(
        [
          {
            hop: "Kubernetes events",
            status: "stopped",
            detail: `no event at all in ${where} between ${offset(ctx.from, ctx.origin)} and ${offset(ctx.to, ctx.origin)}`,
          },
        ],
        false,
      );
    const reasons = new Map<string, number>();
    for (const e of events) reasons.set(e.reason, (reasons.get(e.reason) ?? 0) + 1);
    const seen = [...reasons]
      .sort((a, b) => b[1] - a[1])
      .map(([r, n]) => `${r} ×${n}`)
      .join(", ");
    return diagnosisOf(
      [
        { hop: "Kubernetes events", status: "reached", detail: `${events.length} events in ${where} during the window: ${seen}` },
        { hop: "criteria", status: "stopped", detail: `none is ${this.describe().replace(/^a Kubernetes event /, "")}` },
      ],
      true,
    );
  }

  async pathAlive(ctx: PathContext): Promise<PathLiveness> {
    const namespace = this.options.namespace;
    const events = await this.client.list(namespace ? { namespace } : {});
    return {
      alive: true,
      detail: `the API server answered with ${events.length} events in ${namespace ? `namespace ${namespace}` : "the cluster"} (an event is recorded whenever it happens, so its absence stands) up to ${offset(ctx.to, ctx.origin)}`,
    };
  }

  async observe(ctx: ProbeContext): Promise<ProbeAnswer> {
    const o = this.options;
    const query = {
      ...(o.namespace ? { namespace: o.namespace } : {}),
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.involvedObject?.kind ? { kind: o.involvedObject.kind } : {}),
      ...(o.involvedObject?.name ? { name: o.involvedObject.name } : {}),
    };
    const [events] = await Promise.all([this.client.list(query), o.labelSelector ? this.learnSelected(o.namespace, o.labelSelector) : undefined]);
    // core/v1 times are whole seconds: an event in the anchor's own second counts, clamped to the anchor.
    const floor = new Date(Math.floor(ctx.since.getTime() / 1000) * 1000);
    const inWindow = events
      .filter((e) => !o.labelSelector || this.isSelected(e))
      .map((e) => ({ event: e, at: occurrenceSince(e, floor) }))
      .filter((m): m is { event: ClusterEvent; at: Date } => m.at !== undefined)
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    const evidence = { query: `${this.describe()} since ${iso(ctx.since)} (core/v1 and events.k8s.io/v1 at ${this.client.server})` };
    if (inWindow.length === 0) {
      const older = events.length ? `; ${events.length} matching the fields are older or about other objects, newest: ${show(newest(events))}` : "";
      return { miss: { ...evidence, result: `no matching event since ${iso(ctx.since)}${older}` } };
    }
    const first = inWindow[0]!;
    const at = new Date(Math.max(first.at.getTime(), ctx.since.getTime()));
    const shown = inWindow
      .slice(0, SHOWN)
      .map((m) => show(m.event))
      .join("; ");
    const more = inWindow.length > SHOWN ? `; and ${inWindow.length - SHOWN} more` : "";
    const precision = first.event.precise ? "" : " (its timestamp has whole-second resolution)";
    return { seen: { at, evidence: { ...evidence, result: `${inWindow.length} matching events, first at ${iso(first.at)}${precision}: ${shown}${more}` } } };
  }

  private async learnSelected(namespace: string | undefined, selector: string): Promise<void> {
    const selected = await this.client.select(namespace, selector);
    for (const o of selected.objects) this.objects.add(o);
    for (const o of selected.podOwners) this.owners.add(o);
  }

  private isSelected(e: ClusterEvent): boolean {
    if (this.objects.has(`${e.kind}/${e.name}`)) return true;
    if (e.kind !== "Pod") return false;
    // ReplicaSet pods are "<rs>-<5 chars>", StatefulSet pods "<sts>-<ordinal>".
    const owner = e.name.replace(/-[a-z0-9]+$/, "");
    return this.owners.has(owner);
  }
}

/** When the event happened in the window: its first occurrence, or a later repeat of an older event. */
function occurrenceSince(e: ClusterEvent, since: Date): Date | undefined {
  if (e.first >= since) return e.first;
  return e.last >= since ? e.last : undefined;
}

function newest(events: ClusterEvent[]): ClusterEvent {
  return events.reduce((a, b) => (b.last > a.last ? b : a));
}

function show(e: ClusterEvent): string {
  const repeats = e.count > 1 ? ` ×${e.count}` : "";
  return `${e.type} ${e.reason} ${e.kind} ${e.namespace}/${e.name} at ${iso(e.first)}${repeats} by ${e.reporter}: ${JSON.stringify(e.message.slice(0, 200))}`;
}

export const EventProbeSpec = z.strictObject({
  namespace: z.string().optional(),
  reason: z.string().optional(),
  involvedObject: z.strictObject({ kind: z.string().optional(), name: z.string().optional() }).optional(),
  labelSelector: z
    .string()
    .refine(isLabelSelector, { message: 'expected a Kubernetes label selector like "app=checkout-api" or "tier in (api, web),!canary"' })
    .optional(),
});

export const eventProbeKind = probeKind({
  key: "event",
  signal: "event",
  summary: "Kubernetes Events by reason, involved object or label selector (core/v1 and events.k8s.io/v1; kind and existing clusters)",
  spec: EventProbeSpec,
  kinds: ["appears", "stays-absent"],
  requires: ["kubernetes"],
  build(e, { endpoints }) {
    if (!endpoints.kubernetes)
      throw new Error("this environment has no Kubernetes cluster to read events from; use env.provider kind or existing (with env.options.kubeconfig)");
    return new EventProbe(eventsClientOnFirstUse(endpoints.kubernetes), {
      ...(e.namespace ? { namespace: e.namespace } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.involvedObject ? { involvedObject: e.involvedObject } : {}),
      ...(e.labelSelector ? { labelSelector: e.labelSelector } : {}),
    });
  },
});

/** What an EventProbe asks of the cluster: a KubernetesEventsClient, or one made on first use. */
export type EventSource = Pick<KubernetesEventsClient, "server" | "list" | "select">;

/**
 * The client, made at the first question rather than when the probe is built: the Kubernetes
 * client it loads costs every command ~0.6 s at startup, `--help` and `validate` included.
 */
function eventsClientOnFirstUse(access: KubernetesAccess): EventSource {
  let made: KubernetesEventsClient | undefined;
  let making: Promise<KubernetesEventsClient> | undefined;
  const client = async () =>
    (made ??= await (making ??= Promise.all([import("./clients/kubernetes-events.js"), loadKubeConfig(access)]).then(
      ([{ KubernetesEventsClient }, kc]) => new KubernetesEventsClient(kc),
    )));
  return {
    get server() {
      return made?.server ?? `the cluster of ${access.kubeconfig}`;
    },
    list: async (query) => (await client()).list(query),
    select: async (namespace, selector) => (await client()).select(namespace, selector),
  };
}
