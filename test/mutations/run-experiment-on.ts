import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ReportSchema, type Report } from "../../core/report-schema.js";
import { runCli } from "../cli.js";
import type { BuiltInExperiment, StackCopy } from "./defects.js";
import { copyEnvironment } from "./stack-copy.js";

export interface ExperimentRun {
  code: number | null;
  report: Report | undefined;
  /** The CLI's last lines when there is no report. */
  tail: string;
}

/** Runs a built-in experiment through the CLI, as a user would, on a copy of the stack. */
export async function runExperimentOn(experiment: BuiltInExperiment, copy: StackCopy, label: string): Promise<ExperimentRun> {
  const out = mkdtempSync(path.join(tmpdir(), `slo-harness-mutation-${label}-`));
  const { code, stderr } = await runCli(["run", `experiments/${experiment}.yaml`, "--out", out, "--quiet"], { env: copyEnvironment(copy) }).result;
  try {
    return { code, report: ReportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8"))), tail: "" };
  } catch {
    return { code, report: undefined, tail: stderr.split("\n").slice(-8).join("\n") };
  }
}

/** An expectation or steady-state check of the report by id. */
export function findCheck(report: Report, id: string) {
  return [...report.expectations, ...report.steadyState.before, ...report.steadyState.after].find((e) => e.id === id);
}
