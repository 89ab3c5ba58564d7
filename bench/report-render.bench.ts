import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Report } from "../core/report-schema.js";
import { FULL_RESOLUTION_FILE, parseReport, renderHtmlReport, renderJunit, withFullResolution, writeReportJson } from "../reports/index.js";
import { buildGameDayReport } from "../reports/utils/report-fixture.js";

/** Issue 7's budget for a run with a million load samples. */
const BUDGET = { seconds: 3, bytes: 2 * 1024 * 1024 };

interface Case {
  name: string;
  report: () => Report;
  /** Also time the `report render` path: read report.json, parse, validate, render, write. */
  fromFile?: boolean;
}

const CASES: Case[] = [
  { name: "game day: 15 min at 20 rps (18 000 requests, 900 samples)", report: () => buildGameDayReport() },
  { name: "1 M requests: 15 min at 1 111 rps (900 samples)", report: () => buildGameDayReport({ rps: 1111 }), fromFile: true },
  {
    name: "1 M load samples (11.6-day soak) + 3 Prometheus series of 1 M points",
    report: () => buildGameDayReport({ durationSeconds: 1_000_000, seriesPoints: 1_000_000 }),
    fromFile: true,
  },
];

/** Renders reports of growing size and prints time and output size against the budget. */
export async function benchReportRender(): Promise<void> {
  console.log("report render (HTML is self-contained: uPlot, data and script inline)");
  for (const c of CASES) {
    const report = c.report();
    renderHtmlReport(report); // warm-up: JIT and the chart library read
    const times: number[] = [];
    let html = "";
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      html = renderHtmlReport(report);
      times.push(performance.now() - start);
    }
    const renderMs = median(times);
    const bytes = Buffer.byteLength(html, "utf8");
    const junitStart = performance.now();
    const junit = renderJunit(report);
    const junitMs = performance.now() - junitStart;
    console.log(`  ${c.name}`);
    console.log(`    HTML   ${ms(renderMs)} median of 3, ${mb(bytes)}  ${verdict(renderMs, bytes)}`);
    console.log(`    JUnit  ${ms(junitMs)}, ${mb(Buffer.byteLength(junit, "utf8"))}`);
    if (c.fromFile) await fromFile(report);
  }
}

/** Issue 20's budget for report.json of a run with a million load samples, and for `report render` from it. */
const FILE_BUDGET = { seconds: 3, bytes: 20 * 1024 * 1024 };

/** The CLI path end to end: write report.json (and its side file) as a run does, then read, parse, validate, render, write. */
async function fromFile(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "slo-bench-"));
  try {
    const unthinned = Buffer.byteLength(JSON.stringify(report), "utf8");
    const w0 = performance.now();
    const written = await writeReportJson(report, dir);
    const w1 = performance.now();
    const size = statSync(written.json).size;
    const side = written.fullResolution ? `, side file ${FULL_RESOLUTION_FILE} ${mb(statSync(written.fullResolution).size)}` : ", no side file";
    console.log(`    write report.json ${mb(size)} (all samples inline would be ${mb(unthinned)})${side}, in ${ms(w1 - w0)}`);
    const t0 = performance.now();
    const json: unknown = JSON.parse(readFileSync(written.json, "utf8"));
    const t1 = performance.now();
    const checked = parseReport(json, "report.json");
    const t2 = performance.now();
    writeFileSync(join(dir, "report.html"), renderHtmlReport(checked));
    const t3 = performance.now();
    const ok = t3 - t0 <= FILE_BUDGET.seconds * 1000 && size <= FILE_BUDGET.bytes;
    const budget = `(≤ ${FILE_BUDGET.seconds} s, report.json ≤ ${mb(FILE_BUDGET.bytes)})`;
    console.log(
      `    render from report.json: read+JSON.parse ${ms(t1 - t0)}, validate ${ms(t2 - t1)}, render+write ${ms(t3 - t2)}, total ${ms(t3 - t0)}  ${ok ? "within budget" : "OVER BUDGET"} ${budget}`,
    );
    if (written.fullResolution) {
      const f0 = performance.now();
      withFullResolution(checked, written.json);
      console.log(`    full resolution back from the side file: ${ms(performance.now() - f0)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function verdict(renderMs: number, bytes: number): string {
  const ok = renderMs <= BUDGET.seconds * 1000 && bytes <= BUDGET.bytes;
  return ok ? `within budget (≤ ${BUDGET.seconds} s, ≤ ${mb(BUDGET.bytes)})` : `OVER BUDGET (≤ ${BUDGET.seconds} s, ≤ ${mb(BUDGET.bytes)})`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const ms = (v: number) => `${Math.round(v).toLocaleString("en-US")} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
