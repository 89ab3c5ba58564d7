import type { Report } from "../../core/report-schema.js";
import { truncate } from "../utils/escape.js";
import { formatOffset } from "../utils/format.js";
import { html, type SafeHtml } from "./html-template.js";
import { dataTable, keyValueTable, section } from "./html-parts.js";

/** The run log shows this many events; a long soak's full Timeline stays in report.json. */
const MAX_LOG_EVENTS = 500;

export function renderEnvironment(report: Report): SafeHtml {
  const { environment: env } = report;
  const rules = env.rules.compressed
    ? `Yes, ×${env.rules.factor}: alert windows and "for" durations were shortened so the run fits in CI minutes. Alert timings here are scaled; check true timings with the promtool backtests.`
    : "No: the real alert rules ran, so alert timings are true.";
  return section("environment", "Environment", undefined, [
    keyValueTable([
      ["Provider", env.provider],
      ["Alert rules time-compressed", rules],
      ["Rule files", html`${env.rules.files.map((f) => html`<code>${f}</code><br>`)}`],
      ...(env.rules.warnings.length ? [["What compression had to bend", html`${env.rules.warnings.map((w) => html`${w}<br>`)}`] as [string, SafeHtml]] : []),
    ]),
    html`<h3>Component versions</h3>`,
    env.components.length ? keyValueTable(env.components.map((c) => [c.name, html`<code>${c.version}</code>`])) : html`<p class="empty">not recorded</p>`,
    html`<h3>Endpoints</h3>`,
    keyValueTable(Object.entries(env.endpoints).map(([name, url]) => [name, html`<code>${url}</code>`])),
  ]);
}

export function renderRunLog(report: Report): SafeHtml {
  // Per-second load samples are charted; listing them would bury the events people look for.
  const events = report.timeline.filter((e) => e.kind !== "load-sample");
  const shown = events.slice(0, MAX_LOG_EVENTS);
  const rows = shown.map((e) => [
    formatOffset(e.at, report.startedAt),
    e.kind,
    e.id ?? "",
    e.data ? html`<code>${truncate(JSON.stringify(e.data), 400)}</code>` : "",
  ]);
  const more = events.length > shown.length ? html`<p class="hint">${events.length - shown.length} more events are in report.json.</p>` : "";
  return html`<section class="card" id="run-log"><details><summary>Run log (${events.length} events)</summary>
${dataTable(["When", "Event", "About", "Details"], rows)}${more}</details></section>`;
}
