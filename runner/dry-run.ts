import { redact, redactDeep } from "../core/redact.js";
import { formatDuration } from "../core/durations.js";
import { planLoad } from "../scenarios/scenario-registry.js";
import type { LoadedExperiment } from "./experiment-loader.js";
import { getInjector } from "../chaos/index.js";

/** What `run --dry-run` would do for one experiment; printed as text, or as this object with --json. */
export interface ExperimentPlan {
  file: string;
  title: string;
  environment: { provider: string; options: Record<string, unknown> };
  rules: { compress: number };
  load?: {
    scenario: string;
    tool: "vegeta";
    requests: { name: string; method: string; path: string; weight: number }[];
    stages: { ratePerSecond: number; durationSeconds: number }[];
  };
  steadyState: { before: string[]; after: string[] };
  faults: { id: string; injector: string; target?: string; atSeconds: number; durationSeconds: number; action: string; blinds: string[] }[];
  /** Stop conditions: the first that holds rolls every fault back and ends the run. */
  abort: { id: string; when: string }[];
  expectations: { id: string; probe: string; kind: string; within: string; spec: unknown }[];
  slos: { name: string; objectivePercent: number; period: string }[];
}

/** The whole plan of an experiment, nothing started, nothing touched; secrets in it are redacted. */
export function planOf(loaded: LoadedExperiment, provider: string): ExperimentPlan {
  const { experiment } = loaded;
  const load = experiment.load ? planLoad(experiment.load) : undefined;
  return redactDeep({
    file: loaded.file,
    title: experiment.title,
    environment: { provider, options: experiment.env.options },
    rules: { compress: experiment.rules.compress },
    ...(load
      ? {
          load: {
            scenario: load.scenario,
            tool: "vegeta" as const,
            requests: load.requests.map((r) => ({ name: r.name, method: r.method, path: r.path, weight: r.weight })),
            stages: load.stages.map((s) => ({ ratePerSecond: s.ratePerSecond, durationSeconds: s.durationMs / 1000 })),
          },
        }
      : {}),
    steadyState: { before: experiment.steadyState.before.map((c) => c.id), after: experiment.steadyState.after.map((c) => c.id) },
    // The same plan the run injects, so the bounds said here are the bounds enforced there.
    faults: experiment.faults.map((f) => ({
      id: f.faultId,
      injector: f.injector,
      ...(f.target !== undefined ? { target: f.target } : {}),
      atSeconds: f.atMs / 1000,
      durationSeconds: f.durationMs / 1000,
      action: getInjector(f.injector, f.faultId).describe(f),
      blinds: [...f.blinds],
    })),
    abort: experiment.abort.map((a) => ({
      id: a.id,
      when: a.metric !== undefined ? `${a.metric} holds for ${a.for}` : `${a.loadErrorRatio! * 100} % or more of the load's requests fail over ${a.for}`,
    })),
    expectations: experiment.expectations.map((e) => ({ id: e.id, probe: e.probe.key, kind: e.kind, within: e.deadlineLabel, spec: e.probe.spec })),
    // Rounded: 0.999 * 100 is 99.9 in words, not 99.89999999999999.
    slos: loaded.slos.map((s) => ({ name: s.name, objectivePercent: Math.round(s.objective * 1e6) / 1e4, period: s.period })),
  });
}

/** What `run --dry-run` prints. */
export function describePlan(plan: ExperimentPlan): string {
  const options = Object.keys(plan.environment.options).length ? ` ${JSON.stringify(plan.environment.options)}` : "";
  const lines = [`${plan.file}: ${plan.title}`, `  environment: ${plan.environment.provider}${options}`];
  lines.push(`  rules: ${plan.rules.compress === 1 ? "as shipped" : `time-compressed ${plan.rules.compress}x`}`);
  if (plan.load) {
    const stages = plan.load.stages.map((s) => `${s.ratePerSecond.toFixed(1)}/s for ${s.durationSeconds}s`).join(", then ");
    const total = plan.load.requests.reduce((sum, r) => sum + r.weight, 0);
    const [only] = plan.load.requests;
    // A lone GET reads as its path, as before templates; anything else as each template's share.
    const requests =
      plan.load.requests.length === 1 && only?.method === "GET"
        ? only.path
        : plan.load.requests.map((r) => `${r.name} (${Math.round((r.weight / total) * 100)} %)`).join(", ");
    lines.push(`  load: ${plan.load.scenario} with vegeta on ${requests}: ${stages}`);
  }
  lines.push(`  steady state before: ${plan.steadyState.before.join(", ") || "none"}`);
  for (const f of plan.faults) {
    const blinds = f.blinds.length ? ` (declared to blind ${f.blinds.join(", ")})` : "";
    lines.push(`  fault ${f.id}: at ${formatDuration(f.atSeconds * 1000)} for ${formatDuration(f.durationSeconds * 1000)}: ${f.action}${blinds}`);
  }
  for (const a of plan.abort) lines.push(`  abort ${a.id}: roll every fault back and end the run when ${a.when}`);
  for (const e of plan.expectations) lines.push(`  expect ${e.id}: ${e.probe} ${e.kind} within ${e.within}: ${JSON.stringify(e.spec)}`);
  lines.push(`  steady state after: ${plan.steadyState.after.join(", ") || "none"}`);
  lines.push(`  SLOs: ${plan.slos.map((s) => `${s.name} (${s.objectivePercent.toFixed(2)} % over ${s.period})`).join(", ") || "none"}`);
  // The plan's strings are redacted; a secret that only shows once joined into a line is caught here.
  return redact(lines.join("\n"));
}
