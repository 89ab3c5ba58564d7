import type { Report, SloResult } from "../../core/report-schema.js";
import { formatNumber, formatPercent, formatSeconds } from "../utils/format.js";
import type { ChartPayload } from "./chart-data.js";
import { html, type SafeHtml } from "./html-template.js";
import { dataTable, section } from "./html-parts.js";

/** Budget burned, the burn-rate chart, and the users' (client) SLI next to the server's. */
export function renderSlos(report: Report, payload: ChartPayload): SafeHtml {
  if (report.slos.length === 0) return section("slo", "Error budget", undefined, html`<p class="empty">The experiment declared no SLOs.</p>`);
  const burn = payload.panels.some((p) => p.id === "burn")
    ? html`<div class="chart-block"><h3>Burn rate over the run</h3><div class="chart" id="chart-burn"></div></div>`
    : html`<p class="empty">No burn-rate series was recorded.</p>`;
  return section(
    "slo",
    "Error budget",
    "Budget burned is the share of the whole SLO window's error budget this run used up. Burn rate 1× spends the budget exactly over the window; faster burns exhaust it early.",
    [...report.slos.map(sloBlock), burn, productionBlock(report)],
  );
}

/** The compressed run's answer at production scale, beside its own compressed figures. */
function productionBlock({ production, environment }: Report): SafeHtml | "" {
  if (!production) return "";
  const { profile } = production;
  const heading = html`<h3>At production scale</h3><p class="hint">This run's alert rules were compressed ×${environment.rules.factor}. The same fault in production:
users' error ratio ${formatPercent(profile.errorRatio)} for ${formatSeconds(profile.durationSeconds)} at ${profile.ratePerSecond.toFixed(1)} requests per second, replayed through the rules as written (${production.method}).</p>`;
  if (production.error) return html`${heading}<p class="empty">No estimate: ${production.error}.</p>`;
  const rows = production.alerts.map((a) => [
    `${a.alert}${a.severity ? ` [${a.severity}]` : ""}`,
    a.slo,
    a.fired ? "yes" : "no",
    a.fired ? formatSeconds(a.detectionSeconds) : "—",
    a.fired ? formatPercent(a.budgetAtDetection) : "—",
    a.fired ? (a.resetSeconds === undefined ? "still firing" : formatSeconds(a.resetSeconds)) : "—",
  ]);
  return html`${heading}${dataTable(["alert", "SLO", "fires", "#time to page", "#budget spent by then", "#reset after the fault"], rows)}`;
}

function sloBlock(slo: SloResult): SafeHtml {
  const row = (label: string, client: string, server: string) => [label, client, server];
  const comparison = dataTable(
    ["", "#Users (load generator)", "#Server (Prometheus)"],
    [
      row("SLI (good requests)", formatPercent(slo.client.sli), formatPercent(slo.server.sli)),
      row("Error ratio", formatPercent(slo.client.errorRatio), formatPercent(slo.server.errorRatio)),
      row("Burn rate", times(slo.client.burnRate), times(slo.server.burnRate)),
      [html`<strong>Budget burned</strong>`, budget(slo.client.budgetConsumed), budget(slo.server.budgetConsumed)],
    ],
  );
  const gap =
    slo.discrepancy === null
      ? html`<p class="hint">Client and server could not both be measured, so they cannot be compared.</p>`
      : html`<p class="hint">The two views differ by ${formatPercent(slo.discrepancy)} in error ratio${
          slo.discrepancy > 0.01 ? ": a large gap means some failures never reached the server's metrics (or the other way round)" : ""
        }.</p>`;
  const perFault = slo.perFault.length
    ? html`<h3>During each fault</h3>${dataTable(
        ["Fault", "#Users' error ratio", "#Server error ratio", "#Budget burned"],
        slo.perFault.map((f) => [f.faultId, formatPercent(f.clientErrorRatio), formatPercent(f.serverErrorRatio), formatPercent(f.budgetConsumed)]),
      )}`
    : "";
  return html`<h3>${slo.name} · objective ${formatPercent(slo.objective)}</h3>${comparison}${gap}
<div class="hint">Server SLI query</div><pre>${slo.server.query}</pre>${perFault}`;
}

function times(rate: number | null): string {
  return rate === null ? "—" : `${formatNumber(rate)}×`;
}

function budget(fraction: number | null): SafeHtml {
  if (fraction === null) return html`—`;
  const width = Math.min(100, Math.max(0, fraction * 100));
  return html`<strong>${formatPercent(fraction)}</strong><div class="bar" title="share of the window's budget"><span style="width:${width.toFixed(2)}%"></span></div>`;
}
