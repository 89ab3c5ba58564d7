import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ReportSchema, type Report } from "../core/report-schema.js";
import { renderHtmlReport } from "./html/index.js";
import { renderJunit } from "./junit-report.js";

export type ReportFormat = "html" | "junit" | "json";

/** File names inside a run's folder; `report index` and `report compare` look for these. */
export const REPORT_FILES: Record<ReportFormat, string> = { html: "report.html", junit: "junit.xml", json: "report.json" };

/** Writes the chosen formats into outDir (created if missing) and returns the paths written. */
export async function writeReports(
  report: Report,
  outDir: string,
  formats: readonly ReportFormat[] = ["html", "junit", "json"],
): Promise<Partial<Record<ReportFormat, string>>> {
  await mkdir(outDir, { recursive: true });
  const written: Partial<Record<ReportFormat, string>> = {};
  for (const format of new Set(formats)) {
    const file = join(outDir, REPORT_FILES[format]);
    await writeFile(file, render(report, format), "utf8");
    written[format] = file;
  }
  return written;
}

function render(report: Report, format: ReportFormat): string {
  switch (format) {
    case "html":
      return renderHtmlReport(report);
    case "junit":
      return renderJunit(report);
    case "json":
      // Checked on the way out too: a renderer must never write a report.json the schema rejects.
      return `${JSON.stringify(ReportSchema.parse(report), null, 2)}\n`;
  }
}
