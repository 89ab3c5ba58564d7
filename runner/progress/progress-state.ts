import type { TimelineEvent } from "../../core/timeline.js";

/** A fault in place now: injected and not yet rolled back. */
export interface ActiveFault {
  id: string;
  injector: string;
  target?: string;
  since: string;
  verified: boolean;
  /** What went wrong with it since: its effect not verified, its rollback or restart failed. */
  problem?: string;
}

/** One of the experiment's expectations, as far as the run has got with it. */
export interface ExpectationProgress {
  id: string;
  /** The real deadline once its anchor has happened, the planned one before. */
  deadlineAt?: string;
  anchored: boolean;
  verdict?: string;
  detectionLatencySeconds?: number;
}

export interface LoadSample {
  at: string;
  second: number;
  requests: number;
  errors: number;
}

export interface LoadProgress {
  latest: LoadSample;
  /** Requests per second over the last few seconds: the load's rate now, not its average since the start. */
  rate: number;
  /** Failed requests over the same few seconds, so a fault's effect shows while it lasts. */
  recentErrors: number;
  /** The samples the rate is measured over, oldest first. */
  window: LoadSample[];
  /** The load generator has stopped, so no sample is due. */
  ended: boolean;
}

export interface ProgressState {
  /** The run's start, which T+ offsets count from, as in the report. */
  t0?: string;
  stage?: string;
  /** When the load, faults and deadlines are planned to be over. */
  plannedEndAt?: string;
  faults: ActiveFault[];
  /** In the experiment's order, once the run has said which there are. */
  expectations: ExpectationProgress[];
  load?: LoadProgress;
}

/** Seconds of load samples the current rate is measured over. */
export const RATE_WINDOW_SECONDS = 5;

export const INITIAL_PROGRESS: ProgressState = { faults: [], expectations: [] };

/** The view of a run after one more timeline event; the old state is left as it was. */
export function nextProgress(state: ProgressState, event: TimelineEvent): ProgressState {
  const d = event.data ?? {};
  switch (event.kind) {
    case "run-started":
      return { ...INITIAL_PROGRESS, t0: event.at };
    case "stage":
      return withPlan({ ...state, stage: String(d.stage) }, d);
    case "load-sample":
      return { ...state, load: nextLoad(state.load, { at: event.at, second: Number(d.second), requests: Number(d.requests), errors: Number(d.errors) }) };
    case "load-ended":
      return state.load ? { ...state, load: { ...state.load, ended: true } } : state;
    case "fault-injected":
      return {
        ...state,
        faults: [
          ...state.faults.filter((f) => f.id !== event.id),
          { id: event.id!, injector: String(d.injector), ...(typeof d.target === "string" ? { target: d.target } : {}), since: event.at, verified: false },
        ],
      };
    case "fault-effect-verified":
      return updateFault(state, event.id, { verified: true });
    case "fault-error":
      // An injection that failed never made the fault active; the other stages concern one in place.
      return d.stage === "inject" ? state : updateFault(state, event.id, { problem: `${String(d.stage)} failed: ${String(d.error)}` });
    case "fault-rolled-back":
      return { ...state, faults: state.faults.filter((f) => f.id !== event.id) };
    case "expectation-started":
      return updateExpectation(state, event.id, (e) => (e.verdict ? e : { ...e, anchored: true, deadlineAt: String(d.deadlineAt) }));
    case "expectation-verdict":
      return updateExpectation(state, event.id, (e) =>
        // Steady-state checks share the event; one that shares an expectation's id must not overwrite its verdict.
        e.verdict
          ? e
          : {
              ...e,
              verdict: String(d.verdict),
              ...(typeof d.detectionLatencySeconds === "number" ? { detectionLatencySeconds: d.detectionLatencySeconds } : {}),
            },
      );
    default:
      return state;
  }
}

/** The expectations stage names every expectation with its planned deadline, and the planned end. */
function withPlan(state: ProgressState, d: Record<string, unknown>): ProgressState {
  const deadlines = d.plannedDeadlines as Record<string, string> | undefined;
  if (!deadlines) return state;
  return {
    ...state,
    ...(typeof d.plannedEndAt === "string" ? { plannedEndAt: d.plannedEndAt } : {}),
    expectations: Object.entries(deadlines).map(([id, deadlineAt]) => ({ id, deadlineAt, anchored: false })),
  };
}

function nextLoad(previous: LoadProgress | undefined, sample: LoadSample): LoadProgress {
  const window = [...(previous?.window ?? []).filter((s) => s.second >= sample.second - RATE_WINDOW_SECONDS), sample];
  const first = window[0]!;
  const seconds = sample.second - first.second;
  // Until there are two samples, the average since the start is the best there is.
  const rate = seconds > 0 ? (sample.requests - first.requests) / seconds : sample.requests / Math.max(1, sample.second);
  const recentErrors = seconds > 0 ? sample.errors - first.errors : sample.errors;
  return { latest: sample, rate, recentErrors, window, ended: false };
}

function updateFault(state: ProgressState, id: string | undefined, change: Partial<ActiveFault>): ProgressState {
  return { ...state, faults: state.faults.map((f) => (f.id === id ? { ...f, ...change } : f)) };
}

/** Events of ids the plan does not name (steady-state checks) leave the expectations as they are. */
function updateExpectation(state: ProgressState, id: string | undefined, change: (e: ExpectationProgress) => ExpectationProgress): ProgressState {
  return { ...state, expectations: state.expectations.map((e) => (e.id === id ? change(e) : e)) };
}
