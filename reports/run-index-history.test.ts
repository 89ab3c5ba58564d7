import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Report, Verdict } from "../core/report-schema.js";
import { renderIndex } from "./run-index.js";
import { writeReports } from "./write-reports.js";
import { buildGameDayReport } from "./utils/report-fixture.js";
import { HOSTILE } from "./utils/hostile.js";
import { escapeHtml } from "./utils/escape.js";

/** An expectation id from the system under test's side of the file, planted to check escaping in rows and flags. */
const SPANS = `spans-traced${HOSTILE}`;

/** A pool-exhaustion night: the page after `page` seconds, the traces check with its verdict. */
function night(day: number, page: number, spans: Verdict, partial = false): Report {
  const report = buildGameDayReport({ durationSeconds: 60, startedAt: `2026-12-0${day}T02:00:00.000Z` });
  const pages = report.expectations.find((e) => e.id === "burn-alert-pages")!;
  pages.detectionLatencySeconds = page;
  const traced = report.expectations.find((e) => e.id === "failing-db-spans-traced")!;
  traced.id = SPANS;
  traced.verdict = spans;
  if (spans !== "pass") delete traced.detectionLatencySeconds;
  report.partial = partial;
  if (partial) report.verdict = "inconclusive";
  return report;
}

describe("the index page's trends and regressions", () => {
  const dir = mkdtempSync(join(tmpdir(), "slo-history-"));
  /** Named as `slo-harness run` names a run's folder in its history. */
  const folder = (day: number) => `2026120${day}T020000Z`;
  let result: Awaited<ReturnType<typeof renderIndex>>;
  let page = "";
  /** The text of each cell of a trend row, markup stripped, and whether it is marked. */
  const row = (id: string) => {
    const tr = page.match(new RegExp(`<tr( class="regressed")?><td><code>${escapeRegExp(escapeHtml(id))}</code>.*?</tr>`, "s"));
    if (!tr) throw new Error(`no trend row for ${id}`);
    const cells = [...tr[0].matchAll(/<td class="num( flag)?">(.*?)<\/td>/gs)].map((m) => `${m[2]!.replace(/<[^>]+>/g, " ").trim()}${m[1] ? " [flag]" : ""}`);
    return { regressed: tr[1] !== undefined, cells, markup: tr[0] };
  };

  beforeAll(async () => {
    const nights = [night(1, 160, "pass"), night(2, 170, "pass"), night(3, 165, "pass"), night(4, 400, "fail"), night(5, 100, "inconclusive", true)];
    for (const [i, report] of nights.entries()) await writeReports(report, join(dir, folder(i + 1)), ["json"]);
    const other = buildGameDayReport({ durationSeconds: 60, startedAt: "2026-12-03T03:00:00.000Z", hostile: HOSTILE });
    other.experiment.id = "table-lock";
    await writeReports(other, join(dir, "table-lock"), ["json", "html"]);
    result = await renderIndex(dir);
    page = readFileSync(result.file, "utf8");
  });

  it("should return the regressions of the newest complete run, not of the interrupted one after it", () => {
    expect(result.regressions.map((r) => `${r.kind} ${r.expectation} ${r.run.file}`)).toEqual([
      `verdict ${SPANS} ${folder(4)}/report.json`,
      `latency burn-alert-pages ${folder(4)}/report.json`,
    ]);
  });

  it("should show the count in a tile and list each regression before the tables", () => {
    expect(page).toContain('<div class="label">Regressions</div><div class="value">2</div><div class="sub">in 1 experiment</div>');
    const list = page.slice(page.indexOf('<section class="card" id="regressions">'), page.indexOf('<section class="card" id="experiments">'));
    expect(list).toContain(
      `<li><span class="badge fail">REGRESSED</span> pool-exhaustion › burn-alert-pages: detected in 6 min 40 s (+3 min 55 s, ×2.4) in the run of 2026-12-04 02:00:00 UTC (${folder(4)}/report.json), against 2 min 45 s, the median of 3 runs from 2026-12-01 02:00:00 UTC`,
    );
    expect(list).toContain(`pool-exhaustion › ${escapeHtml(SPANS)}: verdict pass → fail in the run of 2026-12-04`);
    expect(list).toContain(`<a href="${folder(4)}/report.json">open the run</a>`);
  });

  it("should mark the experiment with regressions in the by-experiment table", () => {
    expect(page).toMatch(/<strong>pool-exhaustion<\/strong> <span class="badge fail">2 regressions<\/span>/);
    expect(page).not.toMatch(/<strong>table-lock<\/strong> <span class="badge fail">/);
  });

  it("should give each expectation a row of its detection latency per run, oldest first, marking the regressed run", () => {
    expect(row("burn-alert-pages")).toMatchObject({ regressed: true, cells: ["2 min 40 s", "2 min 50 s", "2 min 45 s", "6 min 40 s [flag]", "1 min 40 s"] });
    expect(row(SPANS)).toMatchObject({ regressed: true, cells: ["3.1 s", "3.1 s", "3.1 s", "FAIL [flag]", "INCONCLUSIVE"] });
    expect(row("error-ratio-rises")).toMatchObject({ regressed: false, cells: ["33 s", "33 s", "33 s", "33 s", "33 s"] });
  });

  it("should show each run's verdict and setup above the rows, the interrupted run named as such", () => {
    const trends = page.slice(page.indexOf("<h3>pool-exhaustion</h3>"));
    expect(trends).toContain("the last 5 of 5 runs, oldest first");
    expect(trends).toMatch(
      new RegExp(`<th title="2026-12-05 02:00:00 UTC"><a href="${folder(5)}/report.json">12-05 02:00</a><br><span class="hint">local, partial</span></th>`),
    );
    const verdicts = trends.match(/<tr><th scope="row">Run verdict<\/th><td><\/td>(.*?)<\/tr>/s)![1]!;
    expect([...verdicts.matchAll(/badge (\w+)/g)].map((m) => m[1])).toEqual(["fail", "fail", "fail", "fail", "inconclusive"]);
  });

  it("should draw the trend as an inline SVG with a mark per run and a ring on the regressed one", () => {
    const chart = row("burn-alert-pages").markup.match(/<svg class="spark".*?<\/svg>/s)![0];
    expect(chart).toContain(
      "<title>burn-alert-pages: detection latency over the last 5 runs, oldest first: 2 min 40 s, 2 min 50 s, 2 min 45 s, 6 min 40 s, 1 min 40 s</title>",
    );
    expect([...chart.matchAll(/<circle class="(\w+)"/g)].map((m) => m[1])).toEqual(["pass", "pass", "pass", "pass", "flag", "pass"]);
    // The slowest run is the highest point (y is smallest for 400 s), still below the strip of unseen marks.
    const ys = [...chart.matchAll(/<circle class="pass" cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Math.min(...ys)).toBe(ys[3]);
    expect(ys[3]).toBeGreaterThan(6);
    const spans = row(SPANS).markup.match(/<svg class="spark".*?<\/svg>/s)![0];
    expect(spans).toMatch(/<circle class="unseen fail" cx="[\d.]+" cy="6\.0" r="2\.5"\/><circle class="flag"/);
  });

  it("should keep the page free of script and escape text from the runs", () => {
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"`);
    expect(page).not.toContain("<script");
    expect(page).not.toContain("<svg onload");
    expect(page).not.toContain(HOSTILE);
    expect(page).toContain(`<code>${escapeHtml(SPANS)}</code>`);
    expect(page).toContain(`<title>${escapeHtml(SPANS)}: detection latency`);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
