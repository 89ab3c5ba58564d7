import type { ExpectationResult, Report } from "../../core/report-schema.js";
import { formatOffset, formatSeconds } from "../utils/format.js";
import { renderEvidence } from "./evidence.js";
import { html, type SafeHtml } from "./html-template.js";
import { dataTable, section, verdictBadge } from "./html-parts.js";

const KIND_WORDS: Record<ExpectationResult["kind"], string> = { appears: "appears", "stays-absent": "stays absent", resolves: "resolves" };

/** One row per expectation; the number matches the mark on the timeline chart. */
export function renderExpectations(report: Report): SafeHtml {
  const jaeger = report.environment.endpoints["jaeger"];
  const rows = report.expectations.map((e, i) => [
    html`<span class="n ${e.firstSeenAt ? e.verdict : "none"}">${i + 1}</span>`,
    html`<strong>${e.id}</strong><br><span class="hint">${e.description}</span>`,
    html`${e.signal}<br><span class="hint">${KIND_WORDS[e.kind]}</span>`,
    verdictBadge(e.verdict),
    html`${e.deadline}${e.deadlineAt ? html`<br><span class="hint">${formatOffset(e.deadlineAt, report.startedAt)}</span>` : ""}`,
    detection(e, report.startedAt),
    renderEvidence(e, jaeger),
  ]);
  const body = rows.length
    ? dataTable(["#", "Expectation", "Signal", "Verdict", "Deadline", "Detected after", "Evidence"], rows, "expectations")
    : html`<p class="empty">The experiment declared no expectations.</p>`;
  return section(
    "expectations",
    "Did the instruments see it in time?",
    "Detection latency is the time from the anchor (usually the fault's start) to the moment a person could first have seen the signal where they would look: a stored sample or alert evaluation, a page's arrival, or the first poll that found a trace or log line in its store (with the moment it happened beside it). A missing signal is followed hop by hop along its path to where it was lost. Times T+m:ss count from the start of the run.",
    body,
  );
}

export function renderSteadyState(report: Report): SafeHtml {
  const jaeger = report.environment.endpoints["jaeger"];
  const table = (title: string, checks: ExpectationResult[]) =>
    html`<h3>${title}</h3>${
      checks.length
        ? dataTable(
            ["Check", "Verdict", "Evidence"],
            checks.map((c) => [
              html`<strong>${c.id}</strong><br><span class="hint">${c.description}</span>`,
              verdictBadge(c.verdict),
              renderEvidence(c, jaeger),
            ]),
          )
        : html`<p class="empty">none declared</p>`
    }`;
  return section("steady-state", "Steady state", "The system's normal behaviour, checked before the first fault and after the last one.", [
    table("Before the faults", report.steadyState.before),
    table("After the faults", report.steadyState.after),
  ]);
}

function detection(e: ExpectationResult, startedAt: string): SafeHtml {
  if (e.detectionLatencySeconds !== undefined) {
    // Traces and logs reach their store after they happen: both moments, as a person would have lived them.
    const happened =
      e.occurredAt && e.occurredAt !== e.firstSeenAt ? html`<br><span class="hint">happened ${formatOffset(e.occurredAt, startedAt)}</span>` : "";
    const coverage = e.coverage ? html`<br><span class="hint">${e.coverage.found}/${e.coverage.checked} of the load found</span>` : "";
    return html`<strong>${formatSeconds(e.detectionLatencySeconds)}</strong>${e.firstSeenAt ? html`<br><span class="hint">visible ${formatOffset(e.firstSeenAt, startedAt)}</span>` : ""}${happened}${coverage}`;
  }
  if (e.firstSeenAt) return html`seen ${formatOffset(e.firstSeenAt, startedAt)}`;
  return html`<span class="empty">${e.kind === "stays-absent" && e.verdict === "pass" ? "never (as expected)" : "not seen"}</span><br><span class="hint">${e.polls} polls${e.errors ? `, ${e.errors} failed` : ""}</span>`;
}
