import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildGameDayReport } from "../reports/utils/report-fixture.js";
import { recordInHistory, timestampFolder } from "./run-history.js";

describe("run history", () => {
  it("should name a run's folder by its UTC start, sortable and without colons", () => {
    expect(timestampFolder(new Date("2026-12-03T05:28:01.123Z"))).toBe("20261203T052801Z");
  });

  it("should point latest at the newest run and index every run kept so far", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "history-"));
    const runs = ["20261201T020000Z", "20261202T020000Z"];
    runs.forEach((folder, i) => {
      mkdirSync(path.join(root, folder));
      const report = { ...buildGameDayReport(), startedAt: `2026-12-0${i + 1}T02:00:00.000Z`, verdict: i === 0 ? "pass" : "fail" };
      writeFileSync(path.join(root, folder, "report.json"), JSON.stringify(report));
    });
    await recordInHistory(path.join(root, runs[0]!));
    const { file: index, regressions } = await recordInHistory(path.join(root, runs[1]!));
    expect(readlinkSync(path.join(root, "latest"))).toBe(runs[1]);
    const html = readFileSync(index, "utf8");
    expect(html).toMatch(/2 runs/);
    // The link is not a third run.
    expect(html).not.toContain("latest/report.json");
    // The newest run is judged against the one before it, and only this run's regressions are returned.
    expect(regressions).toEqual([
      expect.objectContaining({
        kind: "verdict",
        before: "pass",
        after: "fail",
        against: { startedAt: "2026-12-01T02:00:00.000Z", file: `${runs[0]}/report.json` },
      }),
    ]);
    // A later run of another experiment does not repeat pool-exhaustion's standing regression.
    const other = "20261203T020000Z";
    mkdirSync(path.join(root, other));
    const report = { ...buildGameDayReport(), startedAt: "2026-12-03T02:00:00.000Z", experiment: { ...buildGameDayReport().experiment, id: "table-lock" } };
    writeFileSync(path.join(root, other, "report.json"), JSON.stringify(report));
    expect((await recordInHistory(path.join(root, other))).regressions).toEqual([]);
    expect(readFileSync(index, "utf8")).toContain('<div class="label">Regressions</div><div class="value">1</div>');
  });
});
