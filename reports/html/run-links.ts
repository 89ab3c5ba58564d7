import type { FoundReport } from "../find-reports.js";
import { html, type SafeHtml } from "./html-template.js";

/** A link to a run's HTML report, or to its JSON when it has none. */
export function runLink(r: FoundReport, text: string): SafeHtml {
  return html`<a href="${href(r.html ?? r.file)}">${text}</a>`;
}

/** Folder names may hold "#" or "?"; each path segment is encoded so the link still opens the file. */
export function href(relativePath: string): string {
  return relativePath.split("/").map(encodeURIComponent).join("/");
}
