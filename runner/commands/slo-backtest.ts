import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { BadInputError, EXIT } from "../../core/errors.js";
import { backtestRules, DEFAULT_PROFILES, loadSloDir, parsePromDuration, renderBacktest, stackRuleFiles, toAlertQuality } from "../../assertions/slo/index.js";
import { similarNames } from "../../core/similar-names.js";
import { renderAlertQualityPage } from "../../reports/index.js";
import { repoRoot } from "../../core/paths.js";

function parseFraction(value: string): number {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(value);
  if (!m) throw new BadInputError(`--insignificant: expected a percentage like "1%", got "${value}"`);
  return Number(m[1]) / 100;
}

function parseProfiles(value: string): string[] {
  const names = value
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  const known = DEFAULT_PROFILES.map((p) => p.name);
  const unknown = names.find((n) => !known.includes(n));
  if (names.length === 0 || unknown !== undefined) {
    const hint = unknown ? similarNames(unknown, known)[0] : undefined;
    throw new BadInputError(`--profiles: expected some of ${known.join(", ")}, got "${value}"${hint ? `; did you mean "${hint}"?` : ""}`);
  }
  return names;
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
    .option("--profiles <list>", `comma-separated fault profiles to replay (default all: ${DEFAULT_PROFILES.map((p) => p.name).join(", ")})`, parseProfiles)
    .option("--html <file>", "also write the alert-quality page: every rule against every profile, shipped rules beside the generated ones")
    .option("--json", "print the results as JSON")
    .action(
      async (
        dir: string,
        opts: { slos: string; interval: string; insignificant: number; keep?: string; json?: boolean; html?: string; profiles?: string[] },
      ) => {
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
        const profiles = opts.profiles ? DEFAULT_PROFILES.filter((p) => opts.profiles!.includes(p.name)) : DEFAULT_PROFILES;
        const result = await backtestRules(files, slos, { intervalMs, insignificantBudget: opts.insignificant, workDir: opts.keep, profiles });
        if (opts.html) {
          writeFileSync(opts.html, renderAlertQualityPage(toAlertQuality(result)));
          process.stderr.write(`alert-quality page: ${path.resolve(opts.html)}\n`);
        }
        if (opts.json) console.log(JSON.stringify(result, null, 2));
        else {
          console.log(`rule files: ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}\n`);
          process.stdout.write(renderBacktest(result));
        }
        process.exitCode = result.alerts.some((a) => a.flags.length > 0) ? EXIT.failed : EXIT.ok;
      },
    );
}
