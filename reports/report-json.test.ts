import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { FULL_RESOLUTION_FILE, THINNING, splitReport, withFullResolution, writeReportJson } from "./report-json.js";
import { findFindings } from "./findings.js";
import { readReportFile } from "./read-report.js";
import { buildGameDayReport } from "./utils/report-fixture.js";
import { renderHtmlReport } from "./html/index.js";
import { summarizeReport } from "./summary.js";

describe("report.json of a long run", () => {
  // 28 hours at 20 rps: past the size where report.json keeps every second.
  const full = buildGameDayReport({ durationSeconds: 100_000, seriesPoints: 100_000 });
  let dir: string;
  let written: { json: string; fullResolution?: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "slo-report-json-"));
    written = await writeReportJson(full, dir);
  });

  it("should keep the samples and series out of report.json and in a compressed side file it names", () => {
    expect(readdirSync(dir).sort()).toEqual([FULL_RESOLUTION_FILE, "report.json"]);
    const doc = readReportFile(written.json);
    expect(doc.load!.samples.length).toBeLessThan(THINNING.buckets + 1000);
    for (const points of Object.values(doc.series)) expect(points.length).toBeLessThan(2 * THINNING.buckets + 1000);
    expect(doc.fullResolution).toMatchObject({
      file: FULL_RESOLUTION_FILE,
      bytes: statSync(written.fullResolution!).size,
      bucketSeconds: 26,
      loadSamples: 100_000,
      seriesPoints: 300_000,
    });
    expect(statSync(written.json).size).toBeLessThan(5 * 1024 * 1024);
  });

  it("should keep the totals, and the seconds around the fault and the page whole", () => {
    const doc = readReportFile(written.json);
    const sum = (k: "requests" | "errors") => doc.load!.samples.reduce((n, s) => n + s[k], 0);
    expect(sum("requests")).toBe(full.load!.requests);
    expect(sum("errors")).toBe(full.load!.errors);
    const fault = full.faults[0]!;
    const from = Date.parse(fault.injectedAt!) - THINNING.marginSeconds * 1000;
    const to = Date.parse(fault.rolledBackAt!) + THINNING.marginSeconds * 1000;
    const inWindow = (t: string) => Date.parse(t) >= from && Date.parse(t) < to;
    expect(doc.load!.samples.filter((s) => inWindow(s.t))).toEqual(full.load!.samples.filter((s) => inWindow(s.t)));
  });

  it("should say the same findings and summary as the full report", () => {
    const doc = readReportFile(written.json);
    expect(findFindings(doc)).toEqual(findFindings(full));
    expect(summarizeReport(doc)).toEqual(summarizeReport(full));
    expect(summarizeReport(doc)).toMatch(/For 27 h 46 min the load generator/);
    expect(renderHtmlReport(doc)).toContain("Findings");
  });

  it("should give back every sample and point from the side file", () => {
    const back = withFullResolution(readReportFile(written.json), written.json);
    // Compared as text: jest's deep equality takes seconds over 400 000 objects.
    expect(JSON.stringify(back)).toBe(JSON.stringify(full));
  });

  it("should refuse a side file that belongs to another run, naming both files", () => {
    const other = mkdtempSync(join(tmpdir(), "slo-report-json-"));
    writeFileSync(join(other, "report.json"), readFileSync(written.json));
    writeFileSync(join(other, FULL_RESOLUTION_FILE), gzipSync("{}"));
    const file = join(other, "report.json");
    expect(() => withFullResolution(readReportFile(file), file)).toThrow(
      /report\.full\.json\.gz: sha256 .* is not the .* that .*report\.json names; it belongs to another run/,
    );
  });

  it("should say to keep the two files together when the side file is missing", () => {
    const other = mkdtempSync(join(tmpdir(), "slo-report-json-"));
    const file = join(other, "report.json");
    writeFileSync(file, readFileSync(written.json));
    expect(() => withFullResolution(readReportFile(file), file)).toThrow(
      /cannot read it \(ENOENT\); .* names it in fullResolution\.file: keep the two files together/,
    );
  });
});

describe("report.json of a game day", () => {
  it("should keep every second in report.json and write no side file", async () => {
    const report = buildGameDayReport();
    expect(splitReport(report)).toEqual({ document: report });
    const dir = mkdtempSync(join(tmpdir(), "slo-report-json-"));
    await writeReportJson(report, dir);
    expect(readdirSync(dir)).toEqual(["report.json"]);
    expect(withFullResolution(readReportFile(join(dir, "report.json")), join(dir, "report.json"))).toEqual(report);
  });
});
