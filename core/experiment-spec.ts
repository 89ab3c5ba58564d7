import { z } from "zod";
import { SIGNALS } from "./report-schema.js";
import { deadline, duration, id, positiveDuration } from "./spec-parts.js";
import { checkRequests, ParamsSpec, RequestSpec } from "./request-spec.js";
import type { ExpectationKind, ProbeRequest } from "./experiment-model.js";
import { TargetSpec } from "./target-spec.js";
import { AlertsSpec, ALWAYS_FIRING_ALERTS, QUIET_ALERTS_PROBE } from "./always-firing-alerts.js";

export { DEADLINE } from "./spec-parts.js";

/** Signals a fault may declare it blinds on purpose. */
export const BLINDABLE = SIGNALS.filter((s) => s !== "monitoring" && s !== "load");

export const FaultSpec = z.strictObject({
  id,
  injector: z.string().min(1),
  target: z.string().optional(),
  with: z.record(z.string(), z.unknown()).default({}),
  at: duration,
  duration: positiveDuration,
  /**
   * Signals this fault takes out on purpose (killing the collector blinds traces and logs). A miss
   * of them while it is in place is inconclusive; any other loss inside the stack is a fail.
   */
  blinds: z.array(z.enum(BLINDABLE as [string, ...string[]])).default([]),
});

/**
 * A stop condition: once it holds, every fault is rolled back at once and the run ends, as AWS
 * FIS's stop conditions or Gremlin's halts do. For a game day on a system people use.
 */
export const AbortSpec = z
  .strictObject({
    id,
    /** PromQL ending in a comparison with a number, e.g. 'job:checkout_api_error_ratio:rate1m > 0.5'. */
    metric: z.string().min(1).optional(),
    /** The fraction of the load's own requests failing over the last `for`, e.g. 0.5. */
    loadErrorRatio: z
      .number()
      .gt(0, { message: "expected a fraction above 0 and at most 1, e.g. 0.5" })
      .max(1, { message: "expected a fraction above 0 and at most 1, e.g. 0.5" })
      .optional(),
    /** How long the metric must hold, or the window the load's error ratio is measured over. */
    for: positiveDuration.default("10s"),
  })
  .refine((a) => (a.metric === undefined) !== (a.loadErrorRatio === undefined), {
    message: "each abort condition needs exactly one of metric (PromQL with a comparison) or loadErrorRatio (the fraction of the load's requests failing)",
  });

/** More than one machine's Vegeta can send; beyond it, scale out (slo-harness scale-out). */
export const MAX_RATE_PER_SECOND = 10_000;
/** A 1h alert window compressed this far is 3.6 s, already below any scrape interval. */
export const MAX_COMPRESSION = 1000;

const rate = (example: string) =>
  z
    .string()
    .regex(/^\d{1,6}(\.\d+)?\/s$/, { message: `expected a rate like "${example}"` })
    .refine((r) => Number(r.slice(0, -2)) > 0 && Number(r.slice(0, -2)) <= MAX_RATE_PER_SECOND, {
      message: `expected a rate above 0/s and at most ${MAX_RATE_PER_SECOND}/s (one machine's load; use slo-harness scale-out for more)`,
    });

export const LoadSpec = z
  .strictObject({
    scenario: z.enum(["steady", "ramp", "spike", "soak"]).default("steady"),
    /** Requests per second, e.g. "20/s". */
    rate: rate("20/s").default("10/s"),
    duration: positiveDuration,
    /** ramp and spike: the peak rate. */
    peakRate: rate("100/s").optional(),
    /** One GET template, "/analysis/{patient}" when neither this nor requests is given. */
    path: z.string().startsWith("/").optional(),
    /** Weighted request templates (method, path, headers, body), instead of path. */
    requests: z.array(RequestSpec).min(1).optional(),
    /** Parameters every template's placeholders may use, one drawn per request. */
    params: ParamsSpec.default({}),
    timeout: duration.default("10s"),
  })
  .superRefine(checkRequests);

export const SloSpec = z
  .strictObject({
    name: id,
    /** Percentage, e.g. 99 or 99.9. */
    objective: z.number().gt(0).lt(100),
    window: duration.default("30d"),
    /** PromQL of bad (or good) and all events with "{{window}}" where the range goes, Sloth's shape. */
    errorQuery: z.string().min(1).optional(),
    goodQuery: z.string().min(1).optional(),
    totalQuery: z.string().min(1),
    /** Client-side: which load results count as errors. */
    clientErrors: z.enum(["5xx", "non-2xx", "any-failure"]).default("5xx"),
  })
  .refine((s) => (s.errorQuery === undefined) !== (s.goodQuery === undefined), {
    message: "give exactly one of errorQuery (bad events) or goodQuery (good events), next to totalQuery",
  });

/** The named steady-state checks, as what they stand for. */
export const NAMED_STEADY_STATE: Record<string, { kind: ExpectationKind; within: string; probe: ProbeRequest }> = {
  "api-healthy": { kind: "appears", within: "30s", probe: { key: "health", spec: { path: "/health" } } },
  "targets-up": { kind: "appears", within: "30s", probe: { key: "monitoring", spec: { check: "targets-up" } } },
  // Absence needs a window: 10 s is two rule evaluations of the local stack.
  "no-alert-firing": { kind: "stays-absent", within: "10s", probe: { key: QUIET_ALERTS_PROBE, spec: { alwaysFiring: ALWAYS_FIRING_ALERTS } } },
};

/** What the experiment spec needs from the probes and providers the harness has. */
export interface SpecParts {
  /** Each probe kind's part of an expectation, by key: `metric:`, `trace:`, ... */
  probes: Record<string, z.ZodType>;
  /** The keys usable in a steady-state check object. */
  steadyStateProbes: readonly string[];
  providers: readonly [string, ...string[]];
}

/**
 * The experiment file's format. Probes and providers register their own parts (their schemas
 * live with them), so a new probe kind or provider adds a registry line, not an edit here.
 */
export function experimentSpec(parts: SpecParts) {
  const keys = Object.keys(parts.probes);
  const exactlyOne = (keysHere: readonly string[]) => (e: Record<string, unknown>) => keysHere.filter((k) => e[k] !== undefined).length === 1;
  const probeFields = (keysHere: readonly string[]) => Object.fromEntries(keysHere.map((k) => [k, parts.probes[k]!.optional()]));
  const expectation = z
    .strictObject({ id, kind: z.enum(["appears", "stays-absent", "resolves"]).default("appears"), within: deadline, ...probeFields(keys) })
    .refine(exactlyOne(keys), { message: `each expectation needs exactly one probe: ${keys.join(", ")}` });
  const steadyState = z.union([
    z.enum(Object.keys(NAMED_STEADY_STATE) as [string, ...string[]]),
    z
      .strictObject({
        id,
        within: duration.default("30s"),
        kind: z.enum(["appears", "stays-absent"]).default("appears"),
        ...probeFields(parts.steadyStateProbes),
      })
      .refine(exactlyOne(parts.steadyStateProbes), { message: `a steady-state check needs exactly one probe: ${parts.steadyStateProbes.join(", ")}` }),
  ]);
  const experiment = z.strictObject({
    title: z.string().min(1).max(300, { message: "expected a title of at most 300 characters: a sentence, the claim the experiment checks" }),
    description: z.string().max(5000).optional(),
    env: z
      .strictObject({ provider: z.enum(parts.providers).default("local"), options: z.record(z.string(), z.unknown()).default({}) })
      .default({ provider: "local", options: {} }),
    /** The system under test: a path to its target file (relative to this file) or the block inline. */
    target: z.union([z.string().min(1), TargetSpec]).optional(),
    /** Targets faults may touch (exact names or globs such as "checkout-*"); anything else is refused before the run starts. */
    allowlist: z.array(z.string()).default([]),
    rules: z
      .strictObject({
        compress: z
          .number()
          .min(1)
          .max(MAX_COMPRESSION, { message: `expected a factor from 1 to ${MAX_COMPRESSION}` })
          .default(1),
      })
      .default({ compress: 1 }),
    load: LoadSpec.optional(),
    steadyState: z.strictObject({ before: z.array(steadyState).default([]), after: z.array(steadyState).default([]) }).default({ before: [], after: [] }),
    faults: z.array(FaultSpec).default([]),
    /** Stop conditions: the first that holds rolls every fault back and ends the run. */
    abort: z.array(AbortSpec).default([]),
    expectations: z.array(expectation).default([]),
    slos: z.array(z.union([id, SloSpec])).default([]),
    alerts: AlertsSpec,
    report: z
      .strictObject({ formats: z.array(z.enum(["html", "junit", "json"])).default(["html", "junit", "json"]) })
      .default({ formats: ["html", "junit", "json"] }),
  });
  return { experiment, expectation, steadyState };
}

export type ExperimentFile = z.infer<ReturnType<typeof experimentSpec>["experiment"]>;
export type LoadDef = z.infer<typeof LoadSpec>;
export type SloDef = z.infer<typeof SloSpec>;
