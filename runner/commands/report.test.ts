import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { registerReport } from "./report.js";
import { BadInputError, EXIT } from "../../core/errors.js";
import { buildGameDayReport } from "../../reports/utils/report-fixture.js";
import { readReportFile, writeReportJson } from "../../reports/index.js";
import type { Report } from "../../core/report-schema.js";

async function cli(...args: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  const program = new Command().exitOverride();
  registerReport(program);
  const lines: string[] = [];
  const errors: string[] = [];
  const { log, error } = console;
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  console.error = (...parts: unknown[]) => errors.push(parts.join(" "));
  process.exitCode = undefined;
  try {
    await program.parseAsync(["node", "slo-harness", "report", ...args]);
    return { out: lines.join("\n"), err: errors.join("\n"), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    Object.assign(console, { log, error });
    process.exitCode = undefined;
  }
}

function writeRun(dir: string, name: string, report: Report): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(report));
  return file;
}

describe("slo-harness report", () => {
  const dir = mkdtempSync(join(tmpdir(), "slo-report-cli-"));
  const baseline = buildGameDayReport();
  const baselineFile = writeRun(dir, "baseline", baseline);

  it("should render HTML and JUnit next to report.json by default", async () => {
    const runDir = mkdtempSync(join(dir, "run-"));
    const file = join(runDir, "report.json");
    writeFileSync(file, JSON.stringify(baseline));
    const { out } = await cli("render", file);
    expect(out).toBe(`html   ${join(runDir, "report.html")}\njunit  ${join(runDir, "junit.xml")}`);
    expect(readFileSync(join(runDir, "report.html"), "utf8")).toContain("<!DOCTYPE html>");
  });

  it("should render the formats asked for into --out", async () => {
    const out = join(dir, "rendered");
    await cli("render", baselineFile, "--out", out, "--format", "junit");
    expect(existsSync(join(out, "junit.xml"))).toBe(true);
    expect(existsSync(join(out, "report.html"))).toBe(false);
  });

  it("should refuse an unknown format", async () => {
    await expect(cli("render", baselineFile, "--format", "pdf")).rejects.toThrow(new BadInputError('--format: expected some of html, junit, json, got "pdf"'));
  });

  it("should print a long run's every load sample as CSV, from the side file its report.json names", async () => {
    const long = buildGameDayReport({ durationSeconds: 30_000, seriesPoints: 30_000 });
    const runDir = mkdtempSync(join(dir, "long-"));
    const { json } = await writeReportJson(long, runDir);
    expect(readReportFile(json).load!.samples.length).toBeLessThan(10_000);
    const csv = join(runDir, "samples.csv");
    await cli("samples", json, "--out", csv);
    const rows = readFileSync(csv, "utf8").trimEnd().split("\n");
    expect(rows).toHaveLength(30_001);
    expect(rows[0]).toBe("time,seconds,requests,errors,p50_ms,p99_ms");
    const s = long.load!.samples[123]!;
    expect(rows[124]).toBe(`${s.t},1,${s.requests},${s.errors},${s.p50},${s.p99}`);
    await cli("samples", json, "--series", "burn-rate:analysis-availability-99", "--out", csv);
    const series = readFileSync(csv, "utf8").trimEnd().split("\n");
    expect(series).toHaveLength(30_001);
    const [t, v] = long.slos[0]!.burnRateSeries![0]!;
    expect(series[1]).toBe(`${t},${new Date(t * 1000).toISOString()},${v}`);
  });

  it("should name the series a report has when --series names none, and write no file", async () => {
    const csv = join(dir, "none.csv");
    await expect(cli("samples", baselineFile, "--series", "job:nope", "--out", csv)).rejects.toThrow(
      /--series: the report has no series "job:nope"; it has "job:genomics_api_requests:rate1m", .*"burn-rate:analysis-availability-99"/,
    );
    expect(existsSync(csv)).toBe(false);
  });

  it("should exit 0 when the run did not regress", async () => {
    const { out, exitCode } = await cli("compare", baselineFile, writeRun(dir, "same", baseline));
    expect(exitCode).toBe(EXIT.ok);
    expect(out.split("\n").at(-1)).toBe("no regressions");
  });

  it("should exit 1 and list the regression when detection got slower", async () => {
    const slower = structuredClone(baseline);
    slower.expectations[0]!.detectionLatencySeconds = 120;
    const { out, exitCode } = await cli("compare", baselineFile, writeRun(dir, "slower", slower));
    expect(exitCode).toBe(EXIT.failed);
    expect(out).toMatch(/REGRESSED +error-ratio-rises/);
  });

  it("should take the thresholds from flags", async () => {
    const slower = structuredClone(baseline);
    slower.expectations[0]!.detectionLatencySeconds = 120;
    const file = writeRun(dir, "slower-tolerated", slower);
    expect((await cli("compare", baselineFile, file, "--max-latency-increase", "100")).exitCode).toBe(EXIT.ok);
    const burned = structuredClone(baseline);
    burned.slos[0]!.client.budgetConsumed = 0.0125; // +0.44 % of the budget, ×1.54
    const burnedFile = writeRun(dir, "burned", burned);
    expect((await cli("compare", baselineFile, burnedFile)).exitCode).toBe(EXIT.ok);
    expect((await cli("compare", baselineFile, burnedFile, "--max-budget-increase", "0.1")).exitCode).toBe(EXIT.failed);
  });

  it("should print JSON with --json", async () => {
    const { out } = await cli("compare", baselineFile, baselineFile, "--json");
    expect(JSON.parse(out)).toMatchObject({ experiment: "pool-exhaustion", regressions: 0 });
  });

  it("should refuse a threshold that is not a number", async () => {
    await expect(cli("compare", baselineFile, baselineFile, "--max-latency-ratio", "0.5")).rejects.toThrow(
      '--max-latency-ratio: expected a factor of 1 or more like 1.5, got "0.5"',
    );
    await expect(cli("compare", baselineFile, baselineFile, "--max-latency-increase", "soon")).rejects.toThrow(
      '--max-latency-increase: expected a number of 0 or more like 30, got "soon"',
    );
  });

  it("should name the file when a report is invalid", async () => {
    const broken = join(dir, "broken.json");
    writeFileSync(broken, JSON.stringify({ ...baseline, verdict: "ok" }));
    await expect(cli("compare", baselineFile, broken)).rejects.toThrow(/^broken\.json: verdict: /);
  });

  it("should write the index and print its path", async () => {
    const runs = mkdtempSync(join(dir, "runs-"));
    writeFileSync(join(runs, "report.json"), JSON.stringify(baseline));
    const { out, err, exitCode } = await cli("index", runs, "--fail-on-regression");
    expect(out).toBe(join(runs, "index.html"));
    expect(readFileSync(out, "utf8")).toContain("1 run");
    expect({ err, exitCode }).toEqual({ err: "", exitCode: EXIT.ok });
  });

  describe("index over runs that regressed", () => {
    const runs = mkdtempSync(join(dir, "history-"));
    const night = (folder: string, startedAt: string, pageSeconds: number) => {
      const report = buildGameDayReport({ durationSeconds: 60, startedAt });
      report.expectations.find((e) => e.id === "burn-alert-pages")!.detectionLatencySeconds = pageSeconds;
      mkdirSync(join(runs, folder));
      writeFileSync(join(runs, folder, "report.json"), JSON.stringify(report));
    };
    night("20261201T020000Z", "2026-12-01T02:00:00.000Z", 160);
    night("20261202T020000Z", "2026-12-02T02:00:00.000Z", 400);
    const line =
      "regression: pool-exhaustion › burn-alert-pages: detected in 6 min 40 s (+4 min, ×2.5) in the run of 2026-12-02 02:00:00 UTC " +
      "(20261202T020000Z/report.json), against 2 min 40 s, the run of 2026-12-01 02:00:00 UTC (20261201T020000Z/report.json)";

    it("should print each regression on stderr, keep stdout to the index's path, and exit 0 by default", async () => {
      expect(await cli("index", runs)).toEqual({ out: join(runs, "index.html"), err: line, exitCode: EXIT.ok });
    });

    it("should exit 1 with --fail-on-regression", async () => {
      expect(await cli("index", runs, "--fail-on-regression")).toMatchObject({ err: line, exitCode: EXIT.failed });
    });

    it("should take the latency limits from flags, and refuse a baseline of no runs", async () => {
      expect(await cli("index", runs, "--max-latency-increase", "300", "--fail-on-regression")).toEqual({
        out: join(runs, "index.html"),
        err: "",
        exitCode: EXIT.ok,
      });
      expect(readFileSync(join(runs, "index.html"), "utf8")).not.toContain("REGRESSED");
      expect((await cli("index", runs, "--max-latency-ratio", "3")).err).toBe("");
      expect((await cli("index", runs, "--max-latency-ratio", "2", "--max-latency-increase", "60")).err).toBe(line);
      await expect(cli("index", runs, "--baseline-runs", "0")).rejects.toThrow('--baseline-runs: expected a whole number of 1 or more like 5, got "0"');
    });

    it("should print the index and the regressions as JSON with --json", async () => {
      const { out, err } = await cli("index", runs, "--json");
      expect(err).toBe("");
      expect(JSON.parse(out)).toEqual({
        index: join(runs, "index.html"),
        regressions: [
          {
            kind: "latency",
            experiment: "pool-exhaustion",
            expectation: "burn-alert-pages",
            before: 160,
            after: 400,
            run: { startedAt: "2026-12-02T02:00:00.000Z", file: "20261202T020000Z/report.json" },
            against: [{ startedAt: "2026-12-01T02:00:00.000Z", file: "20261201T020000Z/report.json" }],
          },
        ],
      });
    });
  });
});
