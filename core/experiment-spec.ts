import { z } from "zod";
import { isDuration } from "./durations.js";

const duration = z.string().refine(isDuration, { message: 'expected a duration like "90s", "2m" or "1h30m"' });
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'expected a kebab-case id like "pool-exhausted"' });

/** "60s of pool-exhausted.start", "10m of run-start", "15m of pool-exhausted.end". */
export const DEADLINE = /^(\S+) of (run-start|load-end|([a-z0-9][a-z0-9-]*)\.(start|end))$/;
const deadline = z
  .string()
  .regex(DEADLINE, { message: 'expected "<duration> of <anchor>", anchor run-start, load-end, <fault-id>.start or <fault-id>.end, e.g. "60s of pool-exhausted.start"' })
  .refine((s) => isDuration(DEADLINE.exec(s)?.[1] ?? ""), { message: 'the deadline must start with a duration like "60s"' });

const comparator = z.enum([">", ">=", "<", "<=", "==", "!="]);

export const MetricProbeSpec = z.union([
  z.string().min(1).describe("PromQL with a comparison, e.g. 'job:genomics_api_error_ratio:rate1m > 0.01'"),
  z.strictObject({ query: z.string().min(1), op: comparator.optional(), value: z.number().optional(), for: duration.optional() }),
]);

export const TraceProbeSpec = z.strictObject({
  service: z.string().min(1),
  operation: z.string().optional(),
  error: z.boolean().optional(),
  minDuration: duration.optional(),
  tags: z.record(z.string(), z.string()).optional(),
  /** Only traces whose ids the load generator sent. */
  fromLoad: z.boolean().optional(),
  /** With fromLoad: the share of the load's answered requests that must reach Jaeger (default 0.8); set it to your sampling rate. */
  minCoverage: z.number().min(0).max(1).optional(),
});

export const LogProbeSpec = z.union([
  z.string().min(1).describe("a LogsQL (VictoriaLogs) or LogQL (Loki) query"),
  z.strictObject({
    query: z.string().min(1),
    minLines: z.number().int().positive().optional(),
    withTraceId: z.boolean().optional(),
    /** Only lines carrying a trace id the load generator sent. */
    fromLoad: z.boolean().optional(),
    /** With fromLoad: the share of the load's answered requests whose trace id must appear in the store (default 0.8). */
    minCoverage: z.number().min(0).max(1).optional(),
  }),
]);

export const AlertProbeSpec = z.strictObject({
  name: z.string().min(1),
  labels: z.record(z.string(), z.string()).optional(),
  /** firing: Prometheus/Alertmanager say it fires; notified: the webhook receiver got it; resolved: it cleared. */
  state: z.enum(["firing", "notified", "resolved"]).default("firing"),
});

export const MonitoringProbeSpec = z.strictObject({
  check: z.enum(["targets-up", "collector-healthy", "rules-healthy", "all"]).default("all"),
});

export const EventProbeSpec = z.strictObject({
  namespace: z.string().optional(),
  reason: z.string().optional(),
  involvedObject: z.strictObject({ kind: z.string().optional(), name: z.string().optional() }).optional(),
  labelSelector: z.string().optional(),
});

/** "error_ratio > 0.01", "p99_seconds > 2": a measure of the load's own results, a comparison, a number. */
export const LOAD_CONDITION = /^(error_ratio|p50_seconds|p99_seconds|rps)\s*(>=|<=|==|!=|>|<)\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/;
const loadCondition = z.string().regex(LOAD_CONDITION, { message: 'expected "<measure> <op> <number>" with measure error_ratio, p50_seconds, p99_seconds or rps, e.g. "error_ratio > 0.01"' });

export const LoadProbeSpec = z.union([
  loadCondition.describe("what the users saw, from the load generator's own results, e.g. 'error_ratio > 0.01'"),
  z.strictObject({ condition: loadCondition, window: duration.default("10s") }),
]);

export const ExpectationSpec = z
  .strictObject({
    id,
    kind: z.enum(["appears", "stays-absent", "resolves"]).default("appears"),
    within: deadline,
    metric: MetricProbeSpec.optional(),
    trace: TraceProbeSpec.optional(),
    log: LogProbeSpec.optional(),
    alert: AlertProbeSpec.optional(),
    monitoring: MonitoringProbeSpec.optional(),
    event: EventProbeSpec.optional(),
    /** What the users saw, from the load generator's own results. */
    load: LoadProbeSpec.optional(),
  })
  .refine((e) => ["metric", "trace", "log", "alert", "monitoring", "event", "load"].filter((k) => e[k as keyof typeof e] !== undefined).length === 1, {
    message: "each expectation needs exactly one probe: metric, trace, log, alert, monitoring, event or load",
  });

export const SteadyStateCheck = z.union([
  z.enum(["api-p99-under-2s", "no-alert-firing", "targets-up", "api-healthy"]),
  z.strictObject({
    id,
    within: duration.default("30s"),
    kind: z.enum(["appears", "stays-absent"]).default("appears"),
    metric: MetricProbeSpec.optional(),
    alert: AlertProbeSpec.optional(),
    monitoring: MonitoringProbeSpec.optional(),
  }),
]);

export const BLINDABLE = ["metric", "trace", "log", "alert", "event"] as const;

export const FaultSpec = z.strictObject({
  id,
  injector: z.string().min(1),
  target: z.string().optional(),
  with: z.record(z.string(), z.unknown()).default({}),
  at: duration,
  duration,
  /**
   * Signals this fault takes out on purpose (killing the collector blinds traces and logs). A miss
   * of them while it is in place is inconclusive; any other loss inside the stack is a fail.
   */
  blinds: z.array(z.enum(BLINDABLE)).default([]),
});

export const LoadSpec = z.strictObject({
  scenario: z.enum(["steady", "ramp", "spike", "soak"]).default("steady"),
  /** Requests per second, e.g. "20/s". */
  rate: z.string().regex(/^\d+(\.\d+)?\/s$/, { message: 'expected a rate like "20/s"' }).default("10/s"),
  duration,
  /** ramp and spike: the peak rate. */
  peakRate: z.string().regex(/^\d+(\.\d+)?\/s$/, { message: 'expected a rate like "100/s"' }).optional(),
  path: z.string().startsWith("/").default("/analysis/{patient}"),
  timeout: duration.default("10s"),
});

export const SloSpec = z.strictObject({
  name: id,
  /** Percentage, e.g. 99 or 99.9. */
  objective: z.number().gt(0).lt(100),
  window: duration.default("30d"),
  /** PromQL of bad and all events with "{{window}}" where the range goes, Sloth's shape. */
  errorQuery: z.string().min(1),
  totalQuery: z.string().min(1),
  /** Client-side: which load results count as errors. */
  clientErrors: z.enum(["5xx", "non-2xx", "any-failure"]).default("5xx"),
});

export const ExperimentSpec = z.strictObject({
  title: z.string().min(1),
  description: z.string().optional(),
  env: z.strictObject({
    provider: z.enum(["local", "testcontainers", "kind", "existing"]).default("local"),
    options: z.record(z.string(), z.unknown()).default({}),
  }).default({ provider: "local", options: {} }),
  /** Targets faults may touch; anything else is refused before the run starts. */
  allowlist: z.array(z.string()).default([]),
  rules: z.strictObject({ compress: z.number().min(1).default(1) }).default({ compress: 1 }),
  load: LoadSpec.optional(),
  steadyState: z.strictObject({ before: z.array(SteadyStateCheck).default([]), after: z.array(SteadyStateCheck).default([]) }).default({ before: [], after: [] }),
  faults: z.array(FaultSpec).default([]),
  expectations: z.array(ExpectationSpec).default([]),
  slos: z.array(z.union([id, SloSpec])).default([]),
  report: z.strictObject({ formats: z.array(z.enum(["html", "junit", "json"])).default(["html", "junit", "json"]) }).default({ formats: ["html", "junit", "json"] }),
});

export type Experiment = z.infer<typeof ExperimentSpec>;
export type ExpectationDef = z.infer<typeof ExpectationSpec>;
export type FaultDef = z.infer<typeof FaultSpec>;
export type LoadDef = z.infer<typeof LoadSpec>;
export type SloDef = z.infer<typeof SloSpec>;
export type SteadyStateDef = z.infer<typeof SteadyStateCheck>;
