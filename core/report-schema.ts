import { z } from "zod";

/** report.json, the contract between the runner and every renderer. Bump on incompatible change. */
export const REPORT_SCHEMA_VERSION = 1;

const iso = z.string().describe("ISO-8601 timestamp");
export const VerdictSchema = z.enum(["pass", "fail", "inconclusive"]);

/** The kinds of signal an expectation can wait for; `load` is what the users of the load saw. */
export const SIGNALS = ["metric", "trace", "log", "event", "alert", "monitoring", "load"] as const;
export const SignalSchema = z.enum(SIGNALS);

/** What a verdict rests on: what was asked and what came back. */
export const EvidenceSchema = z.object({
  /** The query as sent: PromQL, LogsQL/LogQL, a Jaeger search, an alert selector. */
  query: z.string(),
  /** What came back, summarised: a value, a trace id and its slowest span, a log line, a notification. */
  result: z.string(),
  /** A link a person can follow, e.g. the trace in Jaeger's UI. */
  url: z.string().optional(),
  /** Trace ids the evidence names, so reports can link and correlate them. */
  traceIds: z.array(z.string()).optional(),
});

export const ExpectationResultSchema = z.object({
  id: z.string(),
  signal: SignalSchema,
  kind: z.enum(["appears", "stays-absent", "resolves"]),
  description: z.string(),
  verdict: VerdictSchema,
  /** e.g. "60s after pool-exhausted.start" */
  deadline: z.string(),
  anchorAt: iso.optional(),
  deadlineAt: iso.optional(),
  /** When a person could first have seen the signal in its backend. */
  firstSeenAt: iso.optional(),
  /** When the signal itself happened (a span's end, a log record's time); equal to firstSeenAt where the backend stores it so. */
  occurredAt: iso.optional(),
  /** Traces and logs: the last poll that did not find it yet, so visibility lies in (visibleAfter, firstSeenAt]. */
  visibleAfter: iso.optional(),
  /** From the anchor to firstSeenAt. */
  detectionLatencySeconds: z.number().optional(),
  evidence: z.array(EvidenceSchema),
  /** Where a missing signal was lost, hop by hop along its path (upstream first). */
  diagnosis: z
    .object({
      summary: z.string(),
      stoppedAt: z.string().optional(),
      reachedBackend: z.boolean(),
      hops: z.array(z.object({ hop: z.string(), status: z.enum(["reached", "stopped", "unknown"]), detail: z.string(), at: iso.optional() })),
    })
    .optional(),
  /** For the load's own requests: how many of those answered in the window reached the backend. */
  coverage: z
    .object({ found: z.number().int(), checked: z.number().int(), answered: z.number().int(), ratio: z.number(), min: z.number(), from: iso, to: iso })
    .optional(),
  /** Why a verdict is inconclusive or failed, in words, e.g. "Prometheus unreachable: ECONNREFUSED". */
  reason: z.string().optional(),
  polls: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
});

export const FaultResultSchema = z.object({
  id: z.string(),
  injector: z.string(),
  target: z.string().optional(),
  params: z.record(z.string(), z.unknown()),
  plannedAt: iso.optional(),
  injectedAt: iso.optional(),
  rolledBackAt: iso.optional(),
  effectVerified: z.boolean(),
  /** Signals the experiment declared this fault blinds (a miss of these while it is in place is inconclusive). */
  blinds: z.array(SignalSchema).optional(),
  evidence: z.string().optional(),
  error: z.string().optional(),
});

/** A fault a killed earlier run left in place, rolled back from that run's journal before this run began. */
export const RecoveredFaultSchema = z.object({
  id: z.string(),
  injector: z.string(),
  /** When the killed run journaled it. */
  injectedAt: iso,
  /** The run that left it, from its journal's first record. */
  leftBy: z.object({ experiment: z.string(), provider: z.string(), runDir: z.string(), pid: z.number().int() }).optional(),
  /** What each undo found and did, e.g. "docker-unpause: container 3f2a… is gone, nothing to unpause". */
  actions: z.array(z.string()),
  /** When the harness finished undoing it: before its environment started, when the run command did it. */
  rolledBackAt: iso.optional(),
});

export const LatencySchema = z.object({ p50: z.number(), p90: z.number(), p95: z.number(), p99: z.number(), max: z.number() });

export const LoadSampleSchema = z.object({
  /** Start of the bucket. */
  t: iso,
  /**
   * The bucket's width; absent means one second. A long run's report.json merges the seconds far
   * from its faults and alerts into wider buckets (see `fullResolution`): in one of those, p50 is
   * the request-weighted mean of the per-second p50s and p99 the highest per-second p99.
   */
  seconds: z.number().positive().optional(),
  requests: z.number(),
  errors: z.number(),
  p50: z.number(),
  p99: z.number(),
});

/** A load sent by runner pods of an Indexed Job (`run --distributed-load N`), each runner's share beside the merged figures. */
export const DistributedLoadSchema = z.object({
  runners: z.number().int(),
  image: z.string(),
  /** namespace/name of the Job, deleted at the load's end. */
  job: z.string(),
  /** The Service's in-cluster URL the runners sent to. */
  target: z.string(),
  startAt: z.string(),
  /** Between the first and the last runner to leave the shared start. */
  startSkewMs: z.number().optional(),
  /** The plan's mean rate over its stages, which the merged `rps` is to be read against. */
  askedRps: z.number(),
  perRunner: z.array(
    z.object({
      index: z.number().int(),
      expectedRequests: z.number().int(),
      requests: z.number().int(),
      errors: z.number().int(),
      startedAt: z.string().optional(),
      state: z.enum(["running", "completed", "failed"]),
      reason: z.string().optional(),
    }),
  ),
  /** The harness process's memory while it merged the runners' streams, MiB. */
  mergeMemoryMb: z.object({ heapBefore: z.number(), heapPeak: z.number(), rssPeak: z.number() }),
});

export const LoadResultSchema = z.object({
  scenario: z.string(),
  tool: z.string(),
  target: z.string(),
  requests: z.number().int(),
  errors: z.number().int(),
  errorRatio: z.number(),
  rps: z.number(),
  /** Milliseconds. */
  latency: LatencySchema,
  statusCodes: z.record(z.string(), z.number()),
  /** Requests and errors per request template (its name, or "METHOD /path"); absent in reports from before templates. */
  byRequest: z.record(z.string(), z.object({ requests: z.number().int(), errors: z.number().int() })).optional(),
  samples: z.array(LoadSampleSchema),
  thresholds: z.array(z.object({ name: z.string(), ok: z.boolean(), value: z.number(), limit: z.string() })),
  /** Where the load came from: Vegeta on this machine, or runner pods in the cluster; absent in reports from before distributed load. */
  mode: z.enum(["local", "distributed"]).optional(),
  distributed: DistributedLoadSchema.optional(),
});

export const SloResultSchema = z.object({
  name: z.string(),
  objective: z.number(),
  /** Error budget consumed during the run, as a fraction of the whole window's budget. */
  client: z.object({ sli: z.number().nullable(), errorRatio: z.number().nullable(), budgetConsumed: z.number().nullable(), burnRate: z.number().nullable() }),
  server: z.object({
    sli: z.number().nullable(),
    errorRatio: z.number().nullable(),
    budgetConsumed: z.number().nullable(),
    burnRate: z.number().nullable(),
    query: z.string(),
  }),
  /** |client - server| error ratio. */
  discrepancy: z.number().nullable(),
  perFault: z.array(
    z.object({ faultId: z.string(), clientErrorRatio: z.number().nullable(), serverErrorRatio: z.number().nullable(), budgetConsumed: z.number().nullable() }),
  ),
  burnRateSeries: z.array(z.tuple([z.number(), z.number()])).optional(),
});

/**
 * What a compressed run's figures would be in production: the uncompressed alert rules
 * backtested (promtool) on the fault the run observed, stretched back by the factor.
 */
export const ProductionEstimateSchema = z.object({
  method: z.string(),
  /** The fault as replayed: the users' error ratio while it was in place, its duration × factor, the load's rate. */
  profile: z.object({ errorRatio: z.number(), durationSeconds: z.number(), ratePerSecond: z.number() }),
  alerts: z.array(
    z.object({
      alert: z.string(),
      severity: z.string().optional(),
      slo: z.string(),
      fired: z.boolean(),
      /** From the fault's start to the first firing evaluation. */
      detectionSeconds: z.number().optional(),
      /** Share of the SLO period's budget spent by then. */
      budgetAtDetection: z.number().optional(),
      /** From the fault's end until it stopped firing. */
      resetSeconds: z.number().optional(),
    }),
  ),
  /** Why there is no estimate, when one was due (promtool missing, no alert tied to an SLO). */
  error: z.string().optional(),
});

/**
 * Present when a long run's load samples and series were thinned to keep report.json small: the
 * seconds around each fault, page and alert stay whole, the rest is merged into buckets of
 * `bucketSeconds` (load samples summed; series keep each bucket's lowest and highest point). The
 * full-resolution data is in `file`, next to report.json.
 */
export const FullResolutionRefSchema = z.object({
  /** Relative to report.json's folder. */
  file: z.string(),
  /** Of the file's bytes, so a stale or swapped side file is refused. */
  sha256: z.string(),
  bytes: z.number().int(),
  bucketSeconds: z.number().positive(),
  /** How many load samples and series points the file holds; report.json keeps fewer. */
  loadSamples: z.number().int(),
  seriesPoints: z.number().int(),
});

/**
 * The side file's content (gzip-compressed JSON), one array per column so a million samples
 * cost numbers, not objects: load samples by column with t in unix milliseconds, and each series
 * (`series`, and each SLO's burn rate under `burnRate`) as times in unix seconds and values.
 */
export const FullResolutionSchema = z.object({
  format: z.literal("slo-harness-full-resolution/1"),
  load: z
    .object({
      t: z.array(z.number()),
      seconds: z.array(z.number()),
      requests: z.array(z.number()),
      errors: z.array(z.number()),
      p50: z.array(z.number()),
      p99: z.array(z.number()),
    })
    .optional(),
  series: z.record(z.string(), z.object({ t: z.array(z.number()), v: z.array(z.number()) })),
  burnRate: z.record(z.string(), z.object({ t: z.array(z.number()), v: z.array(z.number()) })),
});

export const TimelineEventSchema = z.object({
  at: iso,
  kind: z.string(),
  id: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const ReportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  verdict: VerdictSchema,
  /** True when the run was interrupted (SIGINT/SIGTERM/an error) and this is what was gathered. */
  partial: z.boolean(),
  /** The experiment's abort condition that held and ended the run early, every fault rolled back. */
  abortedBy: z.object({ id: z.string(), at: z.string(), evidence: z.string() }).optional(),
  experiment: z.object({
    title: z.string(),
    file: z.string(),
    id: z.string(),
    /** sha256 of the experiment file as run, so a report says exactly which version of it was run. */
    sha256: z.string().optional(),
    /** The names of the --var/--var-file variables it read; their values, which may be secrets, are not recorded. */
    variables: z.array(z.string()).optional(),
  }),
  /** The harness that wrote the report; `report render` should be the same version. */
  harness: z
    .object({
      version: z.string(),
      /** The Node.js that ran it (process.version), since a run may come from the harness image's Node or the host's. */
      node: z.string().optional(),
    })
    .optional(),
  startedAt: iso,
  endedAt: iso,
  summary: z.string(),
  environment: z.object({
    provider: z.string(),
    components: z.array(z.object({ name: z.string(), version: z.string() })),
    endpoints: z.record(z.string(), z.string()),
    /** warnings: what compression had to bend (a range kept at four scrapes, a `for` rounded), so compressed figures are read with that in mind. */
    rules: z.object({ compressed: z.boolean(), factor: z.number(), files: z.array(z.string()), warnings: z.array(z.string()).default([]) }),
  }),
  load: LoadResultSchema.optional(),
  faults: z.array(FaultResultSchema),
  recoveredFaults: z.array(RecoveredFaultSchema).default([]),
  expectations: z.array(ExpectationResultSchema),
  steadyState: z.object({ before: z.array(ExpectationResultSchema), after: z.array(ExpectationResultSchema) }),
  slos: z.array(SloResultSchema),
  production: ProductionEstimateSchema.optional(),
  /** Alert firing intervals seen during the run, for the timeline chart. */
  alerts: z.array(
    z.object({ name: z.string(), labels: z.record(z.string(), z.string()), firingAt: iso, resolvedAt: iso.optional(), notifiedAt: iso.optional() }),
  ),
  /** Server-side series over the run, [unix seconds, value], for charts. */
  series: z.record(z.string(), z.array(z.tuple([z.number(), z.number()]))),
  timeline: z.array(TimelineEventSchema),
  fullResolution: FullResolutionRefSchema.optional(),
});

export type Report = z.infer<typeof ReportSchema>;
export type ExpectationResult = z.infer<typeof ExpectationResultSchema>;
export type FaultResult = z.infer<typeof FaultResultSchema>;
export type RecoveredFaultResult = z.infer<typeof RecoveredFaultSchema>;
export type LoadResult = z.infer<typeof LoadResultSchema>;
export type SloResult = z.infer<typeof SloResultSchema>;
export type ProductionEstimate = z.infer<typeof ProductionEstimateSchema>;
export type Verdict = z.infer<typeof VerdictSchema>;
export type Signal = z.infer<typeof SignalSchema>;
export type FullResolution = z.infer<typeof FullResolutionSchema>;
export type FullResolutionRef = z.infer<typeof FullResolutionRefSchema>;
export type Evidence = z.infer<typeof EvidenceSchema>;
