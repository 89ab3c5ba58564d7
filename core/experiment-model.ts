import type { Signal } from "./report-schema.js";

/**
 * The experiment as the stages receive it: the file format (experiment-spec.ts) mapped once by
 * the loader, durations in milliseconds, names resolved, nothing a stage has to parse again.
 */
export type ExpectationKind = "appears" | "stays-absent" | "resolves";

/** A probe as the file asks for it: which kind, and that kind's part of the file, already checked by its schema. */
export interface ProbeRequest {
  key: string;
  spec: unknown;
}

export interface ExpectationModel {
  id: string;
  kind: ExpectationKind;
  /** As written, e.g. "60s of pool-exhausted.start". */
  within: string;
  withinMs: number;
  /** run-start, load-end, <fault>.start or <fault>.end. */
  anchor: string;
  /** For reports: "60s after pool-exhausted.start". */
  deadlineLabel: string;
  probe: ProbeRequest;
}

/** A steady-state check, anchored where it starts: a condition already true then counts. */
export interface SteadyStateModel {
  id: string;
  kind: ExpectationKind;
  within: string;
  withinMs: number;
  probe: ProbeRequest;
}

/**
 * One fault, planned once: what dry-run describes, what the loader checks and what the run
 * injects are the same object.
 */
export interface FaultPlan {
  faultId: string;
  injector: string;
  target?: string;
  /** The name of the experiment's own target (its `target:` block), which process and container faults may aim at like a stack component. */
  systemUnderTest?: string;
  /** The fault's `with:` block; each injector validates its own. */
  params: Record<string, unknown>;
  /** Targets the experiment allows faults to touch (exact names or globs). */
  allowlist: readonly string[];
  atMs: number;
  durationMs: number;
  /** The injector's own safety timer: the scheduler rolls back at durationMs, this is the backstop. */
  maxDurationMs: number;
  /** Signals this fault takes out on purpose. */
  blinds: readonly Signal[];
}

/** A header's value: written in the experiment, or a secret read from the environment or a file at start. */
export type ValueSource = { text: string } | { env: string } | { file: string };
/** File paths here are absolute, resolved against the experiment file's folder. */
export type ParamSource = { list: readonly (string | number)[] } | { range: { from: number; to: number } } | { csv: string; column: string };
export type RequestBody = { text: string } | { json: unknown } | { file: string };

/** One kind of request the load sends, `{param}` placeholders filled per request. */
export interface RequestTemplate {
  /** For reports: its `name:`, or "METHOD /path". */
  name: string;
  method: string;
  path: string;
  headers: Record<string, ValueSource>;
  body?: RequestBody;
  /** Share of the requests relative to the other templates; 0 sends none. */
  weight: number;
  /** Its own parameters; they win over the load's of the same name. */
  params: Record<string, ParamSource>;
}

export interface LoadModel {
  scenario: "steady" | "ramp" | "spike" | "soak";
  ratePerSecond: number;
  durationMs: number;
  peakRatePerSecond?: number;
  /** At least one; a file's `path:` is one GET template. */
  requests: RequestTemplate[];
  params: Record<string, ParamSource>;
  timeoutMs: number;
  /** As written, for words in reports and progress. */
  rate: string;
  duration: string;
}

export interface ExperimentModel {
  title: string;
  description?: string;
  env: { provider: string; options: Record<string, unknown> };
  allowlist: readonly string[];
  rules: { compress: number };
  load?: LoadModel;
  steadyState: { before: SteadyStateModel[]; after: SteadyStateModel[] };
  faults: FaultPlan[];
  abort: AbortCondition[];
  expectations: ExpectationModel[];
  report: { formats: ("html" | "junit" | "json")[] };
  /** Alerts the stack fires on purpose, which no-alert-firing and the report's alert list leave out. */
  alerts: { alwaysFiring: readonly string[] };
}

/** A stop condition of the experiment: a metric that holds for forMs, or the load's error ratio over the last forMs. */
export interface AbortCondition {
  id: string;
  metric?: string;
  loadErrorRatio?: number;
  for: string;
  forMs: number;
}

/** How far past a fault's duration its injector's safety timer fires, should the scheduler not roll it back. */
export const FAULT_SAFETY_MARGIN_MS = 15_000;
