import type { Report } from "../../core/report-schema.js";
import { productionPage } from "../production-page.js";
import { summarizeReport } from "../summary.js";
import { formatCount, formatDateTime, formatPercent, formatSeconds, secondsBetween } from "../utils/format.js";
import { html, type SafeHtml } from "./html-template.js";
import { tile } from "./html-parts.js";

const VERDICT_HEADLINE = { pass: "PASSED", fail: "FAILED", inconclusive: "INCONCLUSIVE" } as const;

/**
 * A verdict judges the instruments, not the service: a green PASSED beside 27 % failed requests
 * must not read as "the service was fine".
 */
export const VERDICT_MEANING = {
  pass: "Passed means the monitoring saw every fault it was expected to see, in time. It does not mean the service was healthy: how users fared is below.",
  fail: "Failed means the monitoring missed a signal, or saw it too late: a real failure like this one could go unnoticed. How users fared is below.",
  inconclusive:
    "Inconclusive means the harness could not check some signals (its own queries failed, the run was interrupted, or a fault never took hold): nothing was proven either way.",
} as const;

/** The verdict banner, full width above the page. */
export function renderBanner(report: Report): SafeHtml {
  return html`<header class="banner ${report.verdict}"><div class="wrap">
  <div class="kicker">slo-harness game-day report · ${report.experiment.id} · ${report.experiment.file}${report.experiment.variables ? ` · variables: ${report.experiment.variables.join(", ")}` : ""}</div>
  <div class="verdict">${VERDICT_HEADLINE[report.verdict]}</div>
  <p class="meaning">${VERDICT_MEANING[report.verdict]}</p>
  <h1>${report.experiment.title}</h1>
  <div class="meta">${formatDateTime(report.startedAt)} · ran ${formatSeconds(secondsBetween(report.startedAt, report.endedAt))} · environment: ${report.environment.provider}${report.environment.rules.compressed ? ` · alert rules compressed ×${report.environment.rules.factor}` : ""}</div>
  ${report.partial ? html`<div class="partial">Interrupted run: partial results</div>` : ""}
  ${report.abortedBy ? html`<div class="partial">Stopped early by abort condition ${report.abortedBy.id}: every fault rolled back</div>` : ""}
</div></header>`;
}

/** The plain-language paragraph and the five numbers a stakeholder asks for. */
export function renderOverview(report: Report): SafeHtml {
  const summary = summarizeReport(report);
  // The runner stores this same paragraph plus its own notes; show only the notes again.
  const stored = report.summary.trim();
  const notes = stored.startsWith(summary) ? stored.slice(summary.length).trim() : stored;
  return html`<section class="card summary" id="summary"><p>${summary}</p>${notes ? html`<p class="hint">Notes from the run: ${notes}</p>` : ""}</section>
<div class="tiles">${tiles(report)}</div>`;
}

function tiles(report: Report): SafeHtml[] {
  const { expectations, load, slos } = report;
  const held = expectations.filter((e) => e.verdict === "pass").length;
  const failed = expectations.filter((e) => e.verdict === "fail").length;
  const unknown = expectations.length - held - failed;
  const out = [
    tile(
      "Expectations held",
      `${held} / ${expectations.length}`,
      `${failed} failed · ${unknown} not checked`,
      failed > 0 ? "bad" : unknown > 0 ? "warn" : "good",
    ),
  ];

  const { compressed, factor } = report.environment.rules;
  const prodPage = productionPage(report);
  const scaled = compressed
    ? ` · rules compressed ×${factor}: not production timing${prodPage?.detectionSeconds !== undefined ? `; in production ≈ ${formatSeconds(prodPage.detectionSeconds)} (backtest)` : ""}`
    : "";
  const page = expectations.find((e) => e.signal === "alert" && e.kind === "appears");
  if (page) {
    const value = page.verdict === "pass" ? formatSeconds(page.detectionLatencySeconds) : page.verdict === "fail" ? "not paged" : "unknown";
    out.push(
      tile(
        "Time to page",
        value,
        `${page.id}, deadline ${page.deadline}${scaled}`,
        page.verdict === "pass" ? "good" : page.verdict === "fail" ? "bad" : "warn",
      ),
    );
  }

  const detected = expectations.filter((e) => e.verdict === "pass" && e.kind === "appears" && e.detectionLatencySeconds !== undefined);
  const fastest = detected.sort((a, b) => a.detectionLatencySeconds! - b.detectionLatencySeconds!)[0];
  if (fastest) out.push(tile("First signal", formatSeconds(fastest.detectionLatencySeconds), `${fastest.signal}: ${fastest.id}`));

  const slo = slos[0];
  if (slo) {
    const burned = slo.client.budgetConsumed ?? slo.server.budgetConsumed;
    const side = slo.client.budgetConsumed !== null ? "users' view" : "server's view";
    // Budgets were spent against the SLO period divided by the factor; the same outage against the real period is 1/factor of it.
    const atPage =
      prodPage?.budgetAtDetection !== undefined ? `; ≈ ${formatPercent(prodPage.budgetAtDetection)} spent before a production page (backtest)` : "";
    const ofWindow =
      compressed && burned !== null ? ` · of a period compressed ×${factor}; ${formatPercent(burned / factor)} of the production period${atPage}` : "";
    out.push(tile("Error budget burned", formatPercent(burned), `of ${slo.name} (${side})${ofWindow}`, burned !== null && burned > 0.02 ? "bad" : ""));
  }

  if (load) {
    out.push(tile("Requests failed", formatPercent(load.errorRatio), `of ${formatCount(load.requests)} requests`, load.errorRatio > 0.01 ? "bad" : "good"));
  }
  return out;
}
