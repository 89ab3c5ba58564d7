import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { BadInputError } from "../../core/errors.js";
import { compressRuleFile, generateRules, loadBurnPolicy, loadSloFile, parsePromDuration, renderRuleFile } from "../../assertions/slo/index.js";
import { registerSloBacktest } from "./slo-backtest.js";

function writeOrPrint(text: string, out: string | undefined): void {
  if (out) {
    writeFileSync(out, text);
    console.error(`wrote ${out}`);
  } else {
    process.stdout.write(text);
  }
}

function parseFactor(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1) throw new BadInputError(`--factor: expected a number >= 1 like 60, got "${value}"`);
  return n;
}

/** User input errors (a bad SLO or rule file) exit 2 with the message, not 3. */
function asBadInput<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new BadInputError((err as Error).message);
  }
}

export function registerSlo(program: Command): void {
  const slo = program.command("slo").description("SLO engine: burn-rate rules, time compression, backtests");

  slo
    .command("rules <slo-file>")
    .description("generate multi-window multi-burn-rate Prometheus rules from an SLO file (OpenSLO v1 or v1alpha, Sloth prometheus/v1, Pyrra)")
    .option("--out <file>", "write the rule file here instead of stdout")
    .option("--policy <file>", "burn-rate windows and factors (YAML); default: the SRE Workbook's")
    .option("--alert-name <name>", "alert name; default: the SLO name in PascalCase + ErrorBudgetBurn")
    .action((file: string, opts: { out?: string; policy?: string; alertName?: string }) => {
      const text = asBadInput(() => {
        const slos = loadSloFile(file);
        const policy = opts.policy ? loadBurnPolicy(opts.policy) : undefined;
        if (opts.alertName && slos.length > 1) throw new Error(`--alert-name: ${file} defines ${slos.length} SLOs; one name cannot serve them all`);
        const files = slos.map((s) => generateRules(s, { policy, alertName: opts.alertName }));
        return renderRuleFile({ groups: files.flatMap((f) => f.groups) }, `from ${path.relative(process.cwd(), file) || file} by \`slo-harness slo rules\``);
      });
      writeOrPrint(text, opts.out);
    });

  slo
    .command("compress <rules-file>")
    .description("rewrite a rule file with every range, subquery, offset, for and the SLO period divided by a factor")
    .requiredOption("--factor <n>", "how many times faster time runs, e.g. 60: an hour becomes a minute", parseFactor)
    .option("--out <file>", "write the compressed file here instead of stdout")
    .option("--scrape-interval <duration>", "scrape interval of the Prometheus that loads the copy; shorter ranges than two scrapes are flagged", "5s")
    .action((file: string, opts: { factor: number; out?: string; scrapeInterval: string }) => {
      const compressed = asBadInput(() => compressRuleFile(file, opts.factor, { scrapeIntervalMs: parsePromDuration(opts.scrapeInterval) }));
      for (const w of compressed.warnings) console.error(`warning: ${w}`);
      writeOrPrint(compressed.text, opts.out);
    });

  registerSloBacktest(slo);
}
