import type { Verdict } from "../../core/report-schema.js";
import { html, type SafeHtml } from "./html-template.js";

const VERDICT_LABEL: Record<Verdict, string> = { pass: "PASS", fail: "FAIL", inconclusive: "INCONCLUSIVE" };

export function verdictBadge(verdict: Verdict): SafeHtml {
  return html`<span class="badge ${verdict}">${VERDICT_LABEL[verdict]}</span>`;
}

/** A data table; cells are SafeHtml or text (escaped). A header starting with "#" is right-aligned. */
export function dataTable(headers: string[], rows: unknown[][], className = ""): SafeHtml {
  const numeric = headers.map((h) => h.startsWith("#"));
  return html`<table class="data ${className}"><thead><tr>${headers.map(
    (h, i) => html`<th${numeric[i] ? html` class="num"` : ""}>${numeric[i] ? h.slice(1) : h}</th>`,
  )}</tr></thead><tbody>${rows.map(
    (row) => html`<tr>${row.map((cell, i) => html`<td${numeric[i] ? html` class="num"` : ""}>${cell}</td>`)}</tr>`,
  )}</tbody></table>`;
}

/** Two columns, no header row: a name and its value. */
export function keyValueTable(rows: [string, unknown][]): SafeHtml {
  return html`<table class="data kv"><tbody>${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody></table>`;
}

export function tile(label: string, value: string, sub: string, tone: "good" | "bad" | "warn" | "" = ""): SafeHtml {
  return html`<div class="tile ${tone}"><div class="label">${label}</div><div class="value">${value}</div><div class="sub">${sub}</div></div>`;
}

export function section(id: string, title: string, hint: string | undefined, body: unknown): SafeHtml {
  return html`<section class="card" id="${id}"><h2>${title}</h2>${hint ? html`<p class="hint">${hint}</p>` : ""}${body}</section>`;
}
