import { createWriteStream, existsSync, statSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import path from "node:path";
import type { Command } from "commander";
import {
  compareReports,
  DEFAULT_HISTORY_RULE,
  DEFAULT_THRESHOLDS,
  describeRegression,
  formatComparison,
  loadSamplesCsv,
  readReportFile,
  renderIndex,
  seriesCsv,
  withFullResolution,
  writeReports,
  type ReportFormat,
} from "../../reports/index.js";
import { BadInputError, EXIT } from "../../core/errors.js";

const FORMATS: readonly ReportFormat[] = ["html", "junit", "json"];

const { latencySeconds, latencyRatio, baselineRuns } = DEFAULT_HISTORY_RULE;
const INDEX_HELP = `
Prints the index's path on stdout and each regression on stderr. Each experiment's newest complete
run is judged against its earlier runs on the same provider and rule compression. A regression is
a verdict worse than in the run before it (pass → inconclusive → fail), of the run or of an
expectation, or an expectation detected more than --max-latency-increase (${latencySeconds} s) and --max-latency-ratio
(×${latencyRatio}) slower than its median over the last --baseline-runs (${baselineRuns}) runs in which it passed.
Without --fail-on-regression the exit code is 0 either way.`;

export function registerReport(program: Command): void {
  const report = program.command("report").description("render, compare and index run reports (report.json)");

  report
    .command("render")
    .description("write the HTML report and JUnit XML of a report.json")
    .argument("<report.json>", "a report a run wrote")
    .option("--out <dir>", "where to write them (default: next to report.json)")
    .option("--format <list>", `comma-separated, of ${FORMATS.join(", ")}`, parseFormats, ["html", "junit"] as ReportFormat[])
    .action(async (file: string, opts: { out?: string; format: ReportFormat[] }) => {
      const written = await writeReports(readReportFile(file), opts.out ?? path.dirname(file), opts.format);
      for (const [format, target] of Object.entries(written)) console.log(`${format.padEnd(6)} ${target}`);
    });

  report
    .command("samples")
    .description(
      "print a report's load samples (or one server-side series) as CSV, at full resolution: a long run's are read from the side file report.json names",
    )
    .argument("<report.json>", "a report a run wrote")
    .option("--series <name>", "a Prometheus series of the report (a key of its series), or burn-rate:<slo>, instead of the load samples")
    .option("--out <file>", "write the CSV there instead of stdout")
    .action(async (file: string, opts: { series?: string; out?: string }) => {
      const report = withFullResolution(readReportFile(file), file);
      const rows = opts.series === undefined ? loadSamplesCsv(report) : seriesCsv(report, opts.series);
      const first = rows.next();
      const out = opts.out ? createWriteStream(opts.out) : process.stdout;
      // The first chunk has been made, so a bad --series fails before --out is created empty.
      await pipeline(
        (function* () {
          if (!first.done) yield first.value;
          yield* rows;
        })(),
        out,
        { end: Boolean(opts.out) },
      ).catch((err: NodeJS.ErrnoException) => {
        // `| head` closing the pipe early is a reader that has seen enough, not a failure.
        if (err.code !== "EPIPE") throw err;
      });
    });

  report
    .command("compare")
    .description(
      "exit 1 when a run regressed against a pinned known-good run: a pass became a fail, a check vanished, detection got slower or more budget burned",
    )
    .argument("<baseline.json>", "the known-good run's report.json")
    .argument("<run.json>", "the run to judge")
    .option(
      "--max-latency-increase <seconds>",
      "extra detection latency allowed, in seconds",
      nonNegative("--max-latency-increase"),
      DEFAULT_THRESHOLDS.latencySeconds,
    )
    .option("--max-latency-ratio <factor>", "extra detection latency allowed, as a factor", atLeastOne("--max-latency-ratio"), DEFAULT_THRESHOLDS.latencyRatio)
    .option(
      "--max-budget-increase <percent>",
      "extra error budget burned allowed, in percent of the SLO window's budget",
      nonNegative("--max-budget-increase"),
      DEFAULT_THRESHOLDS.budget * 100,
    )
    .option("--max-budget-ratio <factor>", "extra error budget burned allowed, as a factor", atLeastOne("--max-budget-ratio"), DEFAULT_THRESHOLDS.budgetRatio)
    .option("--json", "print the comparison as JSON")
    .addHelpText("after", "\nA change is a regression only when it is past both its absolute and its relative limit.")
    .action(
      (
        baselineFile: string,
        runFile: string,
        opts: { maxLatencyIncrease: number; maxLatencyRatio: number; maxBudgetIncrease: number; maxBudgetRatio: number; json?: boolean },
      ) => {
        const comparison = compareReports(readReportFile(baselineFile), readReportFile(runFile), {
          latencySeconds: opts.maxLatencyIncrease,
          latencyRatio: opts.maxLatencyRatio,
          budget: opts.maxBudgetIncrease / 100,
          budgetRatio: opts.maxBudgetRatio,
        });
        console.log(opts.json ? JSON.stringify(comparison, null, 2) : formatComparison(comparison));
        process.exitCode = comparison.regressions > 0 ? EXIT.failed : EXIT.ok;
      },
    );

  report
    .command("index")
    .description("write index.html: one page over every run's report.json under a folder, with trends and the newest runs' regressions")
    .argument("<dir>", "the folder runs wrote their reports to")
    .option("--json", "print {index, regressions} as JSON")
    .option("--fail-on-regression", "exit 1 when an experiment's newest run regressed")
    .option(
      "--max-latency-increase <seconds>",
      "extra detection latency allowed over the baseline, in seconds",
      nonNegative("--max-latency-increase"),
      latencySeconds,
    )
    .option("--max-latency-ratio <factor>", "extra detection latency allowed over the baseline, as a factor", atLeastOne("--max-latency-ratio"), latencyRatio)
    .option("--baseline-runs <n>", "how many earlier passing runs make the baseline (their median)", positiveInteger("--baseline-runs"), baselineRuns)
    .addHelpText("after", INDEX_HELP)
    .action(
      async (dir: string, opts: { json?: boolean; failOnRegression?: boolean; maxLatencyIncrease: number; maxLatencyRatio: number; baselineRuns: number }) => {
        if (!existsSync(dir) || !statSync(dir).isDirectory())
          throw new BadInputError(`${dir}: not a folder; pass the folder runs wrote their reports to (run --out)`);
        const { file, regressions } = await renderIndex(dir, {
          latencySeconds: opts.maxLatencyIncrease,
          latencyRatio: opts.maxLatencyRatio,
          baselineRuns: opts.baselineRuns,
        });
        if (opts.json) console.log(JSON.stringify({ index: file, regressions }, null, 2));
        else {
          console.log(file);
          for (const r of regressions) console.error(`regression: ${describeRegression(r)}`);
        }
        process.exitCode = opts.failOnRegression && regressions.length > 0 ? EXIT.failed : EXIT.ok;
      },
    );
}

function parseFormats(value: string): ReportFormat[] {
  const formats = value
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = formats.filter((f) => !FORMATS.includes(f as ReportFormat));
  if (formats.length === 0 || unknown.length > 0) throw new BadInputError(`--format: expected some of ${FORMATS.join(", ")}, got "${value}"`);
  return formats as ReportFormat[];
}

function nonNegative(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new BadInputError(`${name}: expected a number of 0 or more like 30, got "${value}"`);
    return n;
  };
}

function positiveInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new BadInputError(`${name}: expected a whole number of 1 or more like 5, got "${value}"`);
    return n;
  };
}

function atLeastOne(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < 1) throw new BadInputError(`${name}: expected a factor of 1 or more like 1.5, got "${value}"`);
    return n;
  };
}
