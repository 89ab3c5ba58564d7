import { parseDuration } from "./durations.js";
import { DEADLINE, NAMED_STEADY_STATE, type ExperimentFile, type LoadDef } from "./experiment-spec.js";
import { ALWAYS_FIRING_ALERTS, QUIET_ALERTS_PROBE } from "./always-firing-alerts.js";
import {
  FAULT_SAFETY_MARGIN_MS,
  type ExpectationModel,
  type ExperimentModel,
  type FaultPlan,
  type LoadModel,
  type ProbeRequest,
  type SteadyStateModel,
} from "./experiment-model.js";
import type { Signal } from "./report-schema.js";
import { requestTemplates } from "./request-mapping.js";

const rate = (text: string) => Number(text.replace(/\/s$/, ""));

/** `baseDir` is the experiment file's folder: the files a load names are relative to it. */
export function loadModel(def: LoadDef, baseDir = process.cwd()): LoadModel {
  return {
    scenario: def.scenario,
    ratePerSecond: rate(def.rate),
    durationMs: parseDuration(def.duration),
    ...(def.peakRate ? { peakRatePerSecond: rate(def.peakRate) } : {}),
    ...requestTemplates(def, baseDir),
    timeoutMs: parseDuration(def.timeout),
    rate: def.rate,
    duration: def.duration,
  };
}

export function faultPlan(f: ExperimentFile["faults"][number], allowlist: readonly string[]): FaultPlan {
  const durationMs = parseDuration(f.duration);
  return {
    faultId: f.id,
    injector: f.injector,
    ...(f.target ? { target: f.target } : {}),
    params: f.with,
    allowlist,
    atMs: parseDuration(f.at),
    durationMs,
    maxDurationMs: durationMs + FAULT_SAFETY_MARGIN_MS,
    blinds: f.blinds as Signal[],
  };
}

/** The probe key an expectation or check object uses: the one of `keys` it sets. */
function probeOf(raw: Record<string, unknown>, keys: readonly string[]): ProbeRequest {
  const key = keys.find((k) => raw[k] !== undefined)!;
  return { key, spec: raw[key] };
}

export function expectationModel(e: ExperimentFile["expectations"][number], keys: readonly string[]): ExpectationModel {
  const [, within, anchor] = DEADLINE.exec(e.within)!;
  return {
    id: e.id,
    kind: e.kind,
    within: e.within,
    withinMs: parseDuration(within!),
    anchor: anchor!,
    deadlineLabel: `${within} after ${anchor}`,
    probe: probeOf(e as Record<string, unknown>, keys),
  };
}

export function steadyStateModel(
  c: ExperimentFile["steadyState"]["before"][number],
  keys: readonly string[],
  alwaysFiring: readonly string[] = ALWAYS_FIRING_ALERTS,
): SteadyStateModel {
  if (typeof c === "string") {
    const named = NAMED_STEADY_STATE[c]!;
    const probe = named.probe.key === QUIET_ALERTS_PROBE ? { key: QUIET_ALERTS_PROBE, spec: { alwaysFiring } } : named.probe;
    return { id: c, kind: named.kind, within: named.within, withinMs: parseDuration(named.within), probe };
  }
  return { id: c.id, kind: c.kind, within: c.within, withinMs: parseDuration(c.within), probe: probeOf(c as Record<string, unknown>, keys) };
}

/** The file, checked by its schema, as the stages receive it. */
export function experimentModel(file: ExperimentFile, probeKeys: readonly string[], baseDir = process.cwd()): ExperimentModel {
  return {
    title: file.title,
    ...(file.description ? { description: file.description } : {}),
    env: { provider: file.env.provider, options: file.env.options },
    allowlist: file.allowlist,
    rules: file.rules,
    ...(file.load ? { load: loadModel(file.load, baseDir) } : {}),
    steadyState: {
      before: file.steadyState.before.map((c) => steadyStateModel(c, probeKeys, file.alerts.alwaysFiring)),
      after: file.steadyState.after.map((c) => steadyStateModel(c, probeKeys, file.alerts.alwaysFiring)),
    },
    faults: file.faults.map((f) => faultPlan(f, file.allowlist)),
    abort: file.abort.map((a) => ({
      id: a.id,
      ...(a.metric !== undefined ? { metric: a.metric } : {}),
      ...(a.loadErrorRatio !== undefined ? { loadErrorRatio: a.loadErrorRatio } : {}),
      for: a.for,
      forMs: parseDuration(a.for),
    })),
    expectations: file.expectations.map((e) => expectationModel(e, probeKeys)),
    report: file.report,
    alerts: file.alerts,
  };
}
