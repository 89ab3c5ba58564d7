import { redact, redactDeep } from "../core/redact.js";
import { formatDuration } from "../core/durations.js";
import { planLoad } from "../scenarios/scenario-registry.js";
import type { LoadedExperiment } from "./experiment-loader.js";
import { getInjector } from "../chaos/index.js";

/** What `run --dry-run` prints: the whole plan of an experiment, nothing started, nothing touched. */
export function describePlan(loaded: LoadedExperiment, provider: string): string {
  const { experiment } = loaded;
  const lines = [
    `${loaded.file}: ${experiment.title}`,
    `  environment: ${provider}${Object.keys(experiment.env.options).length ? ` ${JSON.stringify(redactDeep(experiment.env.options))}` : ""}`,
  ];
  lines.push(`  rules: ${experiment.rules.compress === 1 ? "as shipped" : `time-compressed ${experiment.rules.compress}x`}`);
  if (experiment.load) {
    const plan = planLoad(experiment.load);
    lines.push(
      `  load: ${plan.scenario} with vegeta on ${plan.path}: ${plan.stages.map((s) => `${s.ratePerSecond.toFixed(1)}/s for ${s.durationMs / 1000}s`).join(", then ")}`,
    );
  }
  lines.push(`  steady state before: ${experiment.steadyState.before.map((c) => c.id).join(", ") || "none"}`);
  // The same plan the run injects, so the bounds said here are the bounds enforced there.
  for (const f of experiment.faults) {
    const blinds = f.blinds.length ? ` (declared to blind ${f.blinds.join(", ")})` : "";
    lines.push(
      `  fault ${f.faultId}: at ${formatDuration(f.atMs)} for ${formatDuration(f.durationMs)}: ${getInjector(f.injector, f.faultId).describe(f)}${blinds}`,
    );
  }
  for (const e of experiment.expectations) {
    lines.push(`  expect ${e.id}: ${e.probe.key} ${e.kind} within ${e.deadlineLabel}: ${JSON.stringify(e.probe.spec)}`);
  }
  lines.push(`  steady state after: ${experiment.steadyState.after.map((c) => c.id).join(", ") || "none"}`);
  lines.push(`  SLOs: ${loaded.slos.map((s) => `${s.name} (${(s.objective * 100).toFixed(2)} % over ${s.period})`).join(", ") || "none"}`);
  return redact(lines.join("\n"));
}
