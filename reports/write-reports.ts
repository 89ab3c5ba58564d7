import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Report } from "../core/report-schema.js";
import { renderHtmlReport } from "./html/index.js";
import { renderJunit } from "./junit-report.js";
import { writeReportJson } from "./report-json.js";

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
    if (format === "json") {
      written.json = (await writeReportJson(report, outDir)).json;
      continue;
    }
    const file = join(outDir, REPORT_FILES[format]);
    await writeFile(file, format === "html" ? renderHtmlReport(report) : renderJunit(report), "utf8");
    written[format] = file;
  }
  return written;
}
