import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseReport, readReportFile } from "./read-report.js";
import { buildGameDayReport } from "./utils/report-fixture.js";

describe("readReportFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "slo-read-report-"));

  it("should read a report the fixture builds", () => {
    const file = join(dir, "report.json");
    writeFileSync(file, JSON.stringify(buildGameDayReport()));
    expect(readReportFile(file).experiment.id).toBe("pool-exhaustion");
  });

  it("should name the file when it is not JSON", () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, "{ nope");
    expect(() => readReportFile(file)).toThrow(/broken\.json: not valid JSON .*pass the report\.json a run wrote/);
  });

  it("should name the file when it is missing", () => {
    expect(() => readReportFile(join(dir, "absent.json"))).toThrow(/absent\.json: cannot read it \(ENOENT\)/);
  });
});

describe("parseReport", () => {
  it("should name the field, what it found and the fix", () => {
    const report = buildGameDayReport() as unknown as { expectations: { verdict: string }[] };
    report.expectations[2]!.verdict = "ok";
    expect(() => parseReport(report, "run.json")).toThrow(/^run\.json: expectations\[2\]\.verdict: .*"pass".*got "ok"; fix the field or re-run/);
  });

  it("should say which version wrote an incompatible report", () => {
    expect(() => parseReport({ ...buildGameDayReport(), schemaVersion: 2 }, "new.json")).toThrow(
      "new.json: schemaVersion: expected 1, got 2; render it with the slo-harness version that wrote it",
    );
    expect(() => parseReport({ ...buildGameDayReport(), schemaVersion: 2, harness: { version: "0.9.0" } }, "new.json")).toThrow(
      "new.json: schemaVersion: expected 1, got 2; render it with slo-harness 0.9.0, which wrote it",
    );
  });

  it("should report a missing field as nothing", () => {
    const { verdict: _, ...rest } = buildGameDayReport();
    expect(() => parseReport(rest, "run.json")).toThrow(/run\.json: verdict: .*got nothing/);
  });
});
