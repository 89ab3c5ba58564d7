import { planLoad } from "../scenarios/scenario-registry.js";
import { parseDeadline } from "./anchors.js";
import { faultPlan, type LoadedExperiment } from "./experiment-loader.js";
import { getInjector } from "../chaos/index.js";

/** What `run --dry-run` prints: the whole plan of an experiment, nothing started, nothing touched. */
export function describePlan(loaded: LoadedExperiment, provider: string): string {
  const { experiment } = loaded;
  const lines = [`${loaded.file}: ${experiment.title}`, `  environment: ${provider}${Object.keys(experiment.env.options).length ? ` ${JSON.stringify(experiment.env.options)}` : ""}`];
  lines.push(`  rules: ${experiment.rules.compress === 1 ? "as shipped" : `time-compressed ${experiment.rules.compress}x`}`);
  if (experiment.load) {
    const plan = planLoad(experiment.load);
    lines.push(`  load: ${plan.scenario} with vegeta on ${plan.path}: ${plan.stages.map((s) => `${s.ratePerSecond.toFixed(1)}/s for ${s.durationMs / 1000}s`).join(", then ")}`);
  }
  lines.push(`  steady state before: ${experiment.steadyState.before.map((c) => (typeof c === "string" ? c : c.id)).join(", ") || "none"}`);
  for (const f of experiment.faults) {
    lines.push(`  fault ${f.id}: at ${f.at} for ${f.duration}: ${getInjector(f.injector, f.id).describe(faultPlan(f, experiment.allowlist))}`);
  }
  for (const e of experiment.expectations) {
    const probe = ["metric", "trace", "log", "alert", "monitoring", "event", "load"].find((k) => e[k as keyof typeof e] !== undefined)!;
    lines.push(`  expect ${e.id}: ${probe} ${e.kind} within ${parseDeadline(e.within).label}: ${JSON.stringify(e[probe as keyof typeof e])}`);
  }
  lines.push(`  steady state after: ${experiment.steadyState.after.map((c) => (typeof c === "string" ? c : c.id)).join(", ") || "none"}`);
  lines.push(`  SLOs: ${loaded.slos.map((s) => `${s.name} (${(s.objective * 100).toFixed(2)} % over ${s.period})`).join(", ") || "none"}`);
  return lines.join("\n");
}
