import type { Report } from "../../core/report-schema.js";
import { truncate } from "../utils/escape.js";
import { formatCount, formatDateTime, formatMs, formatNumber, formatOffset, formatPercent, formatSeconds, secondsBetween } from "../utils/format.js";
import { html, type SafeHtml } from "./html-template.js";
import { dataTable, section } from "./html-parts.js";

export function renderFaults(report: Report): SafeHtml {
  if (report.faults.length === 0) return section("faults", "Faults", undefined, [html`<p class="empty">No fault was injected.</p>`, recoveredFaults(report)]);
  const rows = report.faults.map((f) => [
    html`<strong>${f.id}</strong><br><span class="hint">${f.injector}${f.target ? ` → ${f.target}` : ""}</span>`,
    html`<pre>${truncate(JSON.stringify(f.params), 500)}</pre>`,
    f.injectedAt ? formatOffset(f.injectedAt, report.startedAt) : html`<span class="empty">not injected</span>`,
    f.rolledBackAt ? formatOffset(f.rolledBackAt, report.startedAt) : html`<span class="reason">not rolled back</span>`,
    formatSeconds(secondsBetween(f.injectedAt, f.rolledBackAt)),
    f.effectVerified ? "yes" : html`<span class="reason">no</span>`,
    html`${f.error ? html`<div class="reason">${truncate(f.error, 2000)}</div>` : ""}${f.evidence ? html`<pre>${truncate(f.evidence, 2000)}</pre>` : ""}`,
  ]);
  return section(
    "faults",
    "Faults",
    "Effect verified means the harness checked the fault took hold (for example, connections really refused) before timing the signals.",
    [dataTable(["Fault", "Parameters", "Injected", "Rolled back", "Lasted", "Effect verified", "Evidence"], rows), recoveredFaults(report)],
  );
}

/** Faults a killed earlier run left behind, undone from its journal before this run began: they may have touched the stack this run measured. */
function recoveredFaults({ recoveredFaults: recovered }: Report): SafeHtml | string {
  if (recovered.length === 0) return "";
  const rows = recovered.map((f) => [
    html`<strong>${f.id}</strong><br><span class="hint">${f.injector}</span>`,
    f.leftBy
      ? html`${f.leftBy.experiment} on ${f.leftBy.provider}<br><span class="hint">harness pid ${f.leftBy.pid}, stack <code>${f.leftBy.runDir}</code></span>`
      : html`<span class="empty">unknown</span>`,
    formatDateTime(f.injectedAt),
    html`${f.actions.map((a) => html`<pre>${truncate(a, 2000)}</pre>`)}`,
  ]);
  return html`<h3>Rolled back ${recovered.length} fault(s) a killed earlier run left in place</h3>
<p class="hint">Before this run began, the harness undid these from the journal of a run that was killed (SIGKILL, OOM, power) while they were in place.</p>
${dataTable(["Fault", "Left by", "Injected", "What the undo did"], rows)}`;
}

export function renderLoad(report: Report): SafeHtml {
  const load = report.load;
  if (!load) return section("load", "Load", undefined, html`<p class="empty">No load was generated in this run.</p>`);
  const figures = dataTable(
    ["Generator", "Target", "#Requests", "#Failed", "#Rate", "#p50", "#p90", "#p95", "#p99", "#max"],
    [
      [
        html`${load.tool}<br><span class="hint">scenario ${load.scenario}</span>`,
        html`<code>${load.target}</code>`,
        formatCount(load.requests),
        html`${formatCount(load.errors)}<br><span class="hint">${formatPercent(load.errorRatio)}</span>`,
        `${formatNumber(load.rps)}/s`,
        formatMs(load.latency.p50),
        formatMs(load.latency.p90),
        formatMs(load.latency.p95),
        formatMs(load.latency.p99),
        formatMs(load.latency.max),
      ],
    ],
  );
  const codes = Object.entries(load.statusCodes).sort(([a], [b]) => a.localeCompare(b));
  const thresholds = load.thresholds.length
    ? html`<h3>Thresholds</h3>${dataTable(
        ["Threshold", "#Value", "Limit", "Result"],
        load.thresholds.map((t) => [
          t.name,
          formatNumber(t.value),
          t.limit,
          t.ok ? html`<span class="badge pass">OK</span>` : html`<span class="badge fail">CROSSED</span>`,
        ]),
      )}`
    : "";
  return section("load", "Load (client side)", "What the load generator sent and what came back, as the users of the API would have seen it.", [
    figures,
    html`<h3>Status codes</h3>${dataTable(
      ["Status", "#Responses"],
      codes.map(([code, n]) => [code, formatCount(n)]),
    )}`,
    distributedRunners(load),
    byRequest(load),
    thresholds,
  ]);
}

/** A distributed load's runners: each one's share against what it sent, so a runner that died is seen with what it left out. */
function distributedRunners(load: NonNullable<Report["load"]>): SafeHtml | string {
  const d = load.distributed;
  if (!d) return "";
  const skew = d.startSkewMs !== undefined ? `, their starts ${formatCount(d.startSkewMs)} ms apart` : "";
  return html`<h3>Runners</h3>
<p class="hint">Sent from ${d.runners} runner pods of the Job <code>${d.job}</code> (image <code>${d.image}</code>) to <code>${d.target}</code>, each 1/${d.runners} of every stage from one shared start${skew}; asked ${formatNumber(d.askedRps)}/s in all, sent ${formatNumber(load.rps)}/s.</p>
${dataTable(
  ["Runner", "#Its share", "#Sent", "#Failed", "#Started after the shared start", "State"],
  d.perRunner.map((r) => [
    String(r.index),
    formatCount(r.expectedRequests),
    formatCount(r.requests),
    formatCount(r.errors),
    r.startedAt ? `${formatCount(Date.parse(r.startedAt) - Date.parse(d.startAt))} ms` : html`<span class="empty">never</span>`,
    r.state === "completed"
      ? html`<span class="badge pass">completed</span>`
      : html`<span class="badge fail">${r.state}</span>${r.reason ? html`<div class="reason">${truncate(r.reason, 500)}</div>` : ""}`,
  ]),
)}`;
}

/** Only with more than one template: one template's row would repeat the figures above. */
function byRequest(load: NonNullable<Report["load"]>): SafeHtml | string {
  const templates = Object.entries(load.byRequest ?? {});
  if (templates.length < 2) return "";
  return html`<h3>By request</h3>${dataTable(
    ["Request", "#Requests", "#Share", "#Failed", "#Error ratio"],
    templates.map(([name, t]) => [
      html`<code>${name}</code>`,
      formatCount(t.requests),
      formatPercent(load.requests ? t.requests / load.requests : null),
      formatCount(t.errors),
      formatPercent(t.requests ? t.errors / t.requests : null),
    ]),
  )}`;
}
