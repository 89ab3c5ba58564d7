import type { ExpectationResult, Report } from "../core/report-schema.js";
import { productionPage } from "./production-page.js";
import { formatCount, formatPercent, formatSeconds, secondsBetween } from "./utils/format.js";

const SIGNAL_NOUN: Record<ExpectationResult["signal"], string> = {
  metric: "metrics",
  trace: "traces",
  log: "logs",
  event: "Kubernetes events",
  alert: "alerts",
  monitoring: "monitoring",
  load: "what the users saw",
};

const VERDICT_WORDS: Record<Report["verdict"], string> = {
  pass: "passed: every expected signal showed up in time",
  fail: "failed: at least one expected signal was missing or late",
  inconclusive: "was inconclusive: some signals could not be checked",
};

/**
 * One paragraph a manager can read without the tables: what was done, what our instruments saw
 * and how fast, what did not hold, and what it cost in error budget. Plain text; callers escape it.
 */
export function summarizeReport(report: Report): string {
  return [
    verdictSentence(report),
    recoverySentence(report),
    loadSentence(report),
    faultSentence(report),
    ...expectationSentences(report),
    rulesSentence(report),
    sloSentence(report),
  ]
    .filter((s): s is string => Boolean(s))
    .join(" ");
}

function verdictSentence(report: Report): string {
  const partial = report.partial ? " The run was interrupted, so this is what was gathered before it stopped." : "";
  const aborted = report.abortedBy
    ? ` Its abort condition ${report.abortedBy.id} held ${formatSeconds(secondsBetween(report.startedAt, report.abortedBy.at))} into the run, so every fault was rolled back and the run ended early: ${report.abortedBy.evidence}.`
    : "";
  return `The experiment “${report.experiment.title}” ${VERDICT_WORDS[report.verdict]}.${partial}${aborted}`;
}

function recoverySentence({ recoveredFaults }: Report): string | undefined {
  if (recoveredFaults.length === 0) return undefined;
  const faults = recoveredFaults.map((f) => `${f.id} (${f.injector}${f.leftBy ? `, left by ${f.leftBy.experiment}` : ""})`);
  return `Before it began, the harness rolled back ${recoveredFaults.length} fault(s) a killed earlier run left in place: ${joinWords(faults)}.`;
}

function loadSentence({ load, startedAt, endedAt }: Report): string | undefined {
  if (!load) return undefined;
  const last = load.samples.at(-1);
  const seconds = load.samples.length > 1 ? secondsBetween(load.samples[0]!.t, last!.t)! + (last!.seconds ?? 1) : secondsBetween(startedAt, endedAt);
  return (
    `For ${formatSeconds(seconds)} the load generator (${load.tool}) sent about ${formatCount(load.rps)} requests per second ` +
    `to ${load.target}: ${formatCount(load.requests)} in all, of which ${formatPercent(load.errorRatio)} failed.`
  );
}

function faultSentence({ faults, startedAt }: Report): string | undefined {
  if (faults.length === 0) return "No fault was injected.";
  const parts = faults.map((f) => {
    if (!f.injectedAt) return `${f.id} (${f.injector}) could not be injected${f.error ? `: ${f.error}` : ""}`;
    const offset = formatSeconds(secondsBetween(startedAt, f.injectedAt));
    const lasted = f.rolledBackAt ? ` for ${formatSeconds(secondsBetween(f.injectedAt, f.rolledBackAt))}` : ", never rolled back";
    return `${f.id} (${f.injector}) ${offset} into the run${lasted}`;
  });
  return `We injected ${faults.length === 1 ? "one fault" : `${faults.length} faults`}: ${parts.join("; ")}.`;
}

function expectationSentences({ expectations, faults }: Report): string[] {
  if (expectations.length === 0) return ["The experiment checked no expectations."];
  const passed = expectations.filter((e) => e.verdict === "pass");
  const sentences = [`${passed.length} of ${expectations.length} expectations held.`];
  const fastest = new Map<ExpectationResult["signal"], number>();
  for (const e of passed) {
    if (e.kind !== "appears" || e.detectionLatencySeconds === undefined) continue;
    const best = fastest.get(e.signal);
    if (best === undefined || e.detectionLatencySeconds < best) fastest.set(e.signal, e.detectionLatencySeconds);
  }
  if (fastest.size > 0) {
    const seen = [...fastest].map(([signal, s]) => `${SIGNAL_NOUN[signal]} after ${formatSeconds(s)}`);
    const what = faults.length === 0 ? "The expected signals" : faults.length === 1 ? "The fault" : "The faults";
    sentences.push(`${what} showed up in ${joinWords(seen)}.`);
  }
  const failed = expectations.filter((e) => e.verdict === "fail");
  if (failed.length > 0) sentences.push(`Not met: ${failed.map(withReason).join("; ")}.`);
  const unknown = expectations.filter((e) => e.verdict === "inconclusive");
  if (unknown.length > 0) sentences.push(`Could not be checked: ${unknown.map(withReason).join("; ")}.`);
  return sentences;
}

function rulesSentence(report: Report): string | undefined {
  const { environment } = report;
  if (!environment.rules.compressed) return undefined;
  const scaled = `The alert rules ran ${environment.rules.factor} times faster than in production to fit the run, so alert timings are scaled, not real.`;
  const page = productionPage(report);
  if (!page) return scaled;
  return `${scaled} Replayed through the rules as written, the same fault would page in production after about ${formatSeconds(page.detectionSeconds)} (${page.alert}), with ${formatPercent(page.budgetAtDetection)} of the error budget spent by then.`;
}

function withReason(e: ExpectationResult): string {
  return e.reason ? `${e.id} (${e.reason})` : e.id;
}

function sloSentence({ slos }: Report): string | undefined {
  const parts = slos.map((slo) => {
    const client = slo.client.budgetConsumed;
    const server = slo.server.budgetConsumed;
    if (client === null && server === null) return `${slo.name}'s error budget could not be measured`;
    const first = client ?? server;
    const side = client !== null ? "as users saw it" : "as the server measured it";
    const other = client !== null && server !== null ? `, ${formatPercent(server)} as the server measured it` : "";
    return `${formatPercent(first)} of ${slo.name}'s error budget ${side}${other}`;
  });
  return parts.length > 0 ? `The run used ${joinWords(parts)}.` : undefined;
}

function joinWords(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
