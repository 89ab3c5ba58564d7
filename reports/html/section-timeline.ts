import type { Report } from "../../core/report-schema.js";
import { formatOffset, formatSeconds, secondsBetween } from "../utils/format.js";
import type { ChartPayload } from "./chart-data.js";
import { html, type SafeHtml } from "./html-template.js";
import { dataTable, section } from "./html-parts.js";

/** Chart containers (filled in by the page script), the key to the numbered marks, and alerts. */
export function renderTimeline(report: Report, payload: ChartPayload): SafeHtml {
  const charts = payload.panels
    .filter((p) => p.id !== "burn")
    .map((p) => html`<div class="chart-block"><h3>${p.title}${p.unit ? ` (${p.unit})` : ""}</h3><div class="chart" id="chart-${p.id}"></div></div>`);
  const key = payload.markers.map(
    (m) =>
      html`<li><span class="n ${m.verdict}">${m.n}</span> ${m.id} <span class="hint">(${m.signal}, ${formatOffset(new Date((payload.t0 + m.at) * 1000).toISOString(), report.startedAt)})</span></li>`,
  );
  return section("timeline", "What happened", undefined, [
    html`<ul class="legend-key">
<li><span class="swatch band"></span>fault window</li>
<li><span class="swatch" style="border-color:#1d4ed8"></span>load generator (what users saw)</li>
<li><span class="swatch dashed" style="border-color:#c2410c"></span>Prometheus (what the server recorded)</li>
<li><span class="swatch dashed" style="border-color:#15803d"></span>first seen (numbers match the expectations table)</li>
<li><span style="color:#7c2d12">▲</span> alert notification sent (the page)</li>
<li>times in UTC; drag to zoom, double-click to reset</li>
</ul>
<div class="chart-block"><h3>Faults, alerts and first signals</h3><div class="chart" id="chart-lanes"></div>
${key.length ? html`<ul class="legend-key">${key}</ul>` : html`<p class="empty">No expected signal was seen.</p>`}</div>`,
    charts.length ? charts : html`<p class="empty">No load samples or server-side series were recorded.</p>`,
    html`<noscript><p class="empty">The charts need JavaScript; the tables hold the same facts.</p></noscript>`,
    alertsTable(report),
  ]);
}

function alertsTable(report: Report): SafeHtml {
  if (report.alerts.length === 0) return html`<h3>Alerts</h3><p class="empty">No alert fired during the run.</p>`;
  const rows = report.alerts.map((a) => [
    html`<strong>${a.name}</strong>`,
    html`${Object.entries(a.labels).map(([k, v]) => html`<code>${k}="${v}"</code> `)}`,
    formatOffset(a.firingAt, report.startedAt),
    a.notifiedAt ? formatOffset(a.notifiedAt, report.startedAt) : "—",
    a.resolvedAt ? formatOffset(a.resolvedAt, report.startedAt) : "still firing at the end",
    formatSeconds(secondsBetween(a.firingAt, a.resolvedAt ?? report.endedAt)),
  ]);
  return html`<h3>Alerts</h3>${dataTable(["Alert", "Labels", "Firing", "Notified", "Resolved", "#Firing for"], rows)}`;
}
