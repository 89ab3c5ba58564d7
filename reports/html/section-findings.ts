import type { Report } from "../../core/report-schema.js";
import { findFindings, type Finding } from "../findings.js";
import { html, type SafeHtml } from "./html-template.js";
import { section } from "./html-parts.js";

const LABEL: Record<Finding["kind"], string> = {
  "client-server-gap": "users vs server",
  "near-deadline": "close call",
  "budget-before-page": "budget before the page",
  "alert-kept-firing": "slow to reset",
};

/** What the verdict alone does not say; absent when there is nothing to say. */
export function renderFindings(report: Report): SafeHtml | "" {
  const findings = findFindings(report);
  if (findings.length === 0) return "";
  const items = findings.map((f) => html`<li class="finding ${f.kind}"><span class="badge inconclusive">${LABEL[f.kind]}</span> ${f.text}</li>`);
  return section(
    "findings",
    "Findings",
    "What the verdict alone does not tell: read these before concluding the service or its alerts are fine.",
    html`<ul class="findings">${items}</ul>`,
  );
}
