import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeReports } from "./write-reports.js";
import { readReportFile } from "./read-report.js";
import { buildGameDayReport } from "./utils/report-fixture.js";

describe("writeReports", () => {
  const report = buildGameDayReport();

  it("should write every format by default into a folder it creates", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "slo-write-")), "nested", "run-1");
    const written = await writeReports(report, out);
    expect(readdirSync(out).sort()).toEqual(["junit.xml", "report.html", "report.json"]);
    expect(written).toEqual({ html: join(out, "report.html"), junit: join(out, "junit.xml"), json: join(out, "report.json") });
    expect(readReportFile(join(out, "report.json"))).toEqual(report);
    expect(readFileSync(join(out, "junit.xml"), "utf8")).toContain("<testsuites");
  });

  it("should write only the formats asked for", async () => {
    const out = mkdtempSync(join(tmpdir(), "slo-write-"));
    await writeReports(report, out, ["junit"]);
    expect(readdirSync(out)).toEqual(["junit.xml"]);
  });

  it("should refuse to write a report.json the schema rejects", async () => {
    const out = mkdtempSync(join(tmpdir(), "slo-write-"));
    const bad = { ...report, verdict: "ok" } as unknown as typeof report;
    await expect(writeReports(bad, out, ["json"])).rejects.toThrow(/verdict/);
  });
});
