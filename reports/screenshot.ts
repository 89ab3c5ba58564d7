/**
 * Writes the README's picture of a report: `node dist/reports/screenshot.js [out.png] [report.json]`
 * (default docs/report-screenshot.png from docs/report-screenshot.json, the report.json of a real
 * pool-exhaustion run on the local stack, which the browser test checks too). It opens
 * the report in headless Chromium and captures the banner, summary and timeline charts, what a
 * stakeholder sees first.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { renderHtmlReport } from "./html/index.js";
import { openInChromium } from "./utils/headless-chromium.js";
import { readReportFile } from "./read-report.js";

export async function takeReportScreenshot(out: string, reportFile: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "slo-screenshot-"));
  const page = join(dir, "report.html");
  writeFileSync(page, renderHtmlReport(readReportFile(reportFile)));
  const opened = await openInChromium(page, { width: 1280, height: 900 });
  try {
    if (opened.problems.length > 0) throw new Error(`${page}: the report logged problems: ${opened.problems.join("; ")}`);
    const bottom = await opened.page.evaluate(() => {
      const section = document.getElementById("timeline")!;
      return section.getBoundingClientRect().bottom + window.scrollY + 16;
    });
    mkdirSync(dirname(out), { recursive: true });
    await opened.page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom) } });
  } finally {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = resolve(process.argv[2] ?? "docs/report-screenshot.png");
  await takeReportScreenshot(out, resolve(process.argv[3] ?? "docs/report-screenshot.json"));
  console.log(out);
}
