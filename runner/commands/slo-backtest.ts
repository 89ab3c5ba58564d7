import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { BadInputError, EXIT } from "../../core/errors.js";
import { backtestRules, loadSloDir, parsePromDuration, renderBacktest, stackRuleFiles } from "../../assertions/slo/index.js";

import { repoRoot } from "../../core/paths.js";

function parseFraction(value: string): number {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(value);
  if (!m) throw new BadInputError(`--insignificant: expected a percentage like "1%", got "${value}"`);
  return Number(m[1]) / 100;
}

export function registerSloBacktest(slo: Command): void {
  slo
    .command("backtest <dir>")
    .description(
      "backtest the stack's real alert rules with promtool: detection time, reset time and budget spent per fault profile; exits 1 when an alert is flagged",
    )
    .option("--slos <dir>", "directory of SLO files (OpenSLO, Sloth, Pyrra) the alerts' slo labels refer to", path.join(repoRoot, "slos"))
    .option("--interval <duration>", "evaluation and scrape interval of the simulated Prometheus", "1m")
    .option("--insignificant <percent>", "flag alerts firing on faults that spend less of the budget than this", parseFraction, 0.01)
    .option("--keep <dir>", "write the generated promtool inputs (rule copies and test files) here and keep them")
    .option("--json", "print the results as JSON")
    .action(async (dir: string, opts: { slos: string; interval: string; insignificant: number; keep?: string; json?: boolean }) => {
      let intervalMs: number;
      try {
        intervalMs = parsePromDuration(opts.interval);
      } catch (err) {
        throw new BadInputError(`--interval: ${(err as Error).message}`);
      }
      if (!existsSync(path.join(dir, "prometheus.yml"))) throw new BadInputError(`${dir}: no prometheus.yml; pass a stack directory such as env/stack`);
      const files = stackRuleFiles(dir);
      let slos;
      try {
        slos = loadSloDir(opts.slos);
      } catch (err) {
        throw new BadInputError((err as Error).message);
      }
      const result = await backtestRules(files, slos, { intervalMs, insignificantBudget: opts.insignificant, workDir: opts.keep });
      if (opts.json) console.log(JSON.stringify(result, null, 2));
      else {
        console.log(`rule files: ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}\n`);
        process.stdout.write(renderBacktest(result));
      }
      process.exitCode = result.alerts.some((a) => a.flags.length > 0) ? EXIT.failed : EXIT.ok;
    });
}
