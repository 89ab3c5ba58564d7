import type { ExpectationResult, Report } from "../../core/report-schema.js";
import type { FoundReport } from "../find-reports.js";
import type { HistoryRegression } from "../history-regressions.js";
import { setupOf } from "../run-setup.js";
import { formatDateTime, formatSeconds } from "../utils/format.js";
import { verdictBadge } from "./html-parts.js";
import { html, type SafeHtml } from "./html-template.js";
import { runLink } from "./run-links.js";
import { sparkline } from "./sparkline.js";

/** Runs a trend table shows: two weeks of nightly runs, still narrow enough to read. */
const TREND_RUNS = 14;

type Run = FoundReport & { report: Report };

/** Per experiment, each expectation's detection latency and verdict over its last runs, oldest first, with the regressions marked. */
export function renderTrends(runs: Run[], regressions: HistoryRegression[]): SafeHtml {
  const groups = new Map<string, Run[]>();
  for (const r of runs) groups.set(r.report.experiment.id, [...(groups.get(r.report.experiment.id) ?? []), r]);
  if (groups.size === 0) return html`<p class="empty">No runs yet.</p>`;
  return html`${[...groups.keys()].sort().map((id) =>
    experimentTrend(
      groups.get(id)!,
      regressions.filter((r) => r.experiment === id),
    ),
  )}`;
}

function experimentTrend(group: Run[], regressions: HistoryRegression[]): SafeHtml {
  const ordered = [...group].sort((a, b) => a.report.startedAt.localeCompare(b.report.startedAt));
  const shown = ordered.slice(-TREND_RUNS);
  const newest = shown.at(-1)!.report;
  // The newest run's order first, then checks only older runs had, so a removed expectation still shows its history.
  const ids = [...new Set([...shown].reverse().flatMap((r) => r.report.expectations.map((e) => e.id)))];
  const flagged = (expectation: string | undefined, run: Run) => regressions.some((r) => r.expectation === expectation && r.run.file === run.file);
  const runRegressed = shown.some((r) => flagged(undefined, r));
  const head = shown.map(
    (r) =>
      html`<th title="${formatDateTime(r.report.startedAt)}">${runLink(r, shortTime(r.report.startedAt))}<br><span class="hint">${setupOf(r.report)}${r.report.partial ? ", partial" : ""}</span></th>`,
  );
  const verdictRow = html`<tr${runRegressed ? html` class="regressed"` : ""}><th scope="row">Run verdict${runRegressed ? regressedBadge() : ""}</th><td></td>${shown.map(
    (r) => html`<td class="num${flagged(undefined, r) ? " flag" : ""}">${verdictBadge(r.report.verdict)}</td>`,
  )}</tr>`;
  const rows = ids.map((id) => {
    const results = shown.map((r) => r.report.expectations.find((e) => e.id === id));
    const marks = shown.map((r) => flagged(id, r));
    const regressed = marks.some(Boolean);
    const signal = [...results].reverse().find((e) => e !== undefined)!.signal;
    const chart = sparkline(
      results.map((e, i) => (e ? { value: e.detectionLatencySeconds, verdict: e.verdict, flagged: marks[i]! } : {})),
      `${id}: detection latency over the last ${shown.length} runs, oldest first: ${results.map(words).join(", ")}`,
    );
    return html`<tr${regressed ? html` class="regressed"` : ""}><td><code>${id}</code> <span class="hint">${signal}</span>${regressed ? regressedBadge() : ""}</td><td>${chart}</td>${results.map(
      (e, i) => cell(e, marks[i]!),
    )}</tr>`;
  });
  return html`<h3>${newest.experiment.id}</h3><p class="hint">${newest.experiment.title} · the last ${shown.length} of ${ordered.length} runs, oldest first</p>
<div class="trend-wrap"><table class="data trends"><thead><tr><th>Expectation</th><th>Detection latency</th>${head}</tr></thead><tbody>${verdictRow}${rows}</tbody></table></div>`;
}

function cell(e: ExpectationResult | undefined, flagged: boolean): SafeHtml {
  const open = html`<td class="num${flagged ? " flag" : ""}">`;
  if (!e) return html`${open}—</td>`;
  const latency = e.detectionLatencySeconds === undefined ? "" : formatSeconds(e.detectionLatencySeconds);
  if (e.verdict === "pass" && latency) return html`${open}${latency}</td>`;
  return html`${open}${verdictBadge(e.verdict)}${latency ? html`<br>${latency}` : ""}</td>`;
}

/** The chart's text alternative: the same values as the row. */
function words(e: ExpectationResult | undefined): string {
  if (!e) return "absent";
  const latency = e.detectionLatencySeconds === undefined ? "not seen" : formatSeconds(e.detectionLatencySeconds);
  return e.verdict === "pass" ? latency : `${e.verdict} (${latency})`;
}

function regressedBadge(): SafeHtml {
  return html` <span class="badge fail">REGRESSED</span>`;
}

/** "11-20 14:00": the column heads stay narrow; the full time is in the title. */
function shortTime(iso: string): string {
  return formatDateTime(iso).slice(5, 16);
}
