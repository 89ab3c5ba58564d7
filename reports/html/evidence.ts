import type { ExpectationResult } from "../../core/report-schema.js";
import { safeHttpUrl, truncate } from "../utils/escape.js";
import { formatDateTime } from "../utils/format.js";
import { html, type SafeHtml } from "./html-template.js";

/** Enough for a stack trace; report.json keeps every character. */
const MAX_TEXT = 2000;
const MAX_ITEMS = 10;
const MAX_TRACE_LINKS = 5;

/**
 * What a verdict rests on: the query as sent, what came back, a link, trace ids (linked to Jaeger
 * when its URL is known). Links are http(s) only; all text is escaped by the template.
 */
export function renderEvidence(result: ExpectationResult, jaegerUrl: string | undefined): SafeHtml {
  const reason = result.reason ? html`<div class="reason ${result.verdict}">${truncate(result.reason, MAX_TEXT)}</div>` : "";
  const path = result.diagnosis ? renderHops(result.diagnosis) : "";
  if (result.evidence.length === 0) return html`${reason}${path}<span class="empty">no evidence recorded</span>`;
  const seen = result.firstSeenAt ? html`<div class="k">first seen</div><div>${formatDateTime(result.firstSeenAt)}</div>` : "";
  const shown = result.evidence.slice(0, MAX_ITEMS).map((e) => {
    const link = safeHttpUrl(e.url);
    const traces = (e.traceIds ?? []).slice(0, MAX_TRACE_LINKS).map((id) => traceLink(id, jaegerUrl));
    const linksLocal = (link && isLoopback(link)) || (traces.length > 0 && jaegerUrl !== undefined && isLoopback(jaegerUrl));
    return html`<div class="evidence">
<div class="k">query</div><pre>${truncate(e.query, MAX_TEXT)}</pre>
<div class="k">${resultCaption(result.signal)}</div><pre>${truncate(e.result, MAX_TEXT)}</pre>${seen}
${traces.length ? html`<div class="k">traces</div><div>${traces}</div>` : ""}
${link ? html`<div><a href="${link}" rel="noreferrer noopener" target="_blank">open in ${linkTarget(link, jaegerUrl)}</a></div>` : ""}
${linksLocal ? html`<div class="live-only">Links point at the run's own stack on this machine: live only during the run (or with --keep). The query and result above are the record.</div>` : ""}
</div>`;
  });
  const more = result.evidence.length > MAX_ITEMS ? html`<div class="empty">${result.evidence.length - MAX_ITEMS} more in report.json</div>` : "";
  return html`${reason}${path}${shown}${more}`;
}

/** The signal's path, upstream first: ✓ reached, ✗ where it was lost, ? could not be checked. */
function renderHops(d: NonNullable<ExpectationResult["diagnosis"]>): SafeHtml {
  const items = d.hops.map((h) => html`<li class="${h.status}"><span class="hop">${h.hop}</span>: ${truncate(h.detail, MAX_TEXT)}</li>`);
  return html`<div class="k">path of the signal</div><ol class="hops">${items}</ol>`;
}

function traceLink(id: string, jaegerUrl: string | undefined): SafeHtml {
  const base = safeHttpUrl(jaegerUrl);
  if (!base) return html`<code>${id}</code> `;
  const href = `${base.replace(/\/$/, "")}/trace/${encodeURIComponent(id)}`;
  return html`<a href="${href}" rel="noreferrer noopener" target="_blank"><code>${id}</code></a> `;
}

function resultCaption(signal: ExpectationResult["signal"]): string {
  return signal === "log" ? "log line" : signal === "event" ? "event" : signal === "trace" ? "trace" : "value";
}

/** The harness's own stacks listen on loopback and are gone when the run ends. */
function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "[::1]" || /^127\./.test(host);
  } catch {
    return false;
  }
}

function linkTarget(link: string, jaegerUrl: string | undefined): string {
  if (jaegerUrl && link.startsWith(jaegerUrl)) return "Jaeger";
  return new URL(link).host;
}
