import type { ExpectationResult, Report } from "../../core/report-schema.js";
import { formatOffset, formatSeconds, secondsBetween } from "../../reports/utils/format.js";
import { textTable } from "./text-table.js";

/**
 * What a person reads when an experiment ends: each expectation's verdict, how fast it was seen
 * and its deadline; why anything did not pass; the verdict; where the report is. Not redacted
 * here: the report is redacted already, and the caller prints through redact() besides.
 */
export function runEnding(report: Report, reportFile: string): string[] {
  const table = report.expectations.length
    ? textTable(
        ["expectation", "verdict", "detected after", "deadline"],
        report.expectations.map((e) => [e.id, e.verdict.toUpperCase(), detection(e, report.startedAt), deadline(e, report.startedAt)]),
      )
    : ["no expectation was polled"];
  const duration = formatSeconds(secondsBetween(report.startedAt, report.endedAt));
  return [
    // Apart from the progress above it, the last frame of a live block or the last verdict line.
    "",
    ...table,
    ...whyNotPassed(report),
    `${report.verdict.toUpperCase()} after ${duration}${report.partial ? " (interrupted: the report is partial)" : ""}`,
    `report: ${reportFile}`,
  ];
}

/** The same words as the HTML report's "Detected after" column. */
function detection(e: ExpectationResult, startedAt: string): string {
  if (e.detectionLatencySeconds !== undefined) return formatSeconds(e.detectionLatencySeconds);
  if (e.firstSeenAt) return `seen ${formatOffset(e.firstSeenAt, startedAt)}`;
  return e.kind === "stays-absent" && e.verdict === "pass" ? "never (as expected)" : "not seen";
}

function deadline(e: ExpectationResult, startedAt: string): string {
  return e.deadlineAt ? `${formatOffset(e.deadlineAt, startedAt)} (${e.deadline})` : e.deadline;
}

/** One line per expectation, steady-state check or fault that kept the run from passing, with its reason. */
function whyNotPassed(report: Report): string[] {
  const checks = [
    ...report.expectations.map((e) => ({ what: e.id, e })),
    ...report.steadyState.before.map((e) => ({ what: `steady state before: ${e.id}`, e })),
    ...report.steadyState.after.map((e) => ({ what: `steady state after: ${e.id}`, e })),
  ]
    .filter(({ e }) => e.verdict !== "pass")
    .map(({ what, e }) => `  ${what}: ${e.verdict}${e.reason ? `: ${e.reason}` : ""}`);
  const faults = report.faults
    .filter((f) => f.error || !f.effectVerified)
    .map((f) => `  fault ${f.id}: ${f.error ?? (f.injectedAt ? "its effect was not verified" : "never injected")}`);
  return [...checks, ...faults];
}
