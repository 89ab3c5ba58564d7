import path from "node:path";
import axios from "axios";
import type { Command } from "commander";
import { BadInputError, EXIT } from "../../core/errors.js";
import { checkSloFiles, preflight, type CheckResult } from "../../assertions/slo/index.js";
import { listRunDirs, readState } from "../../env/local/index.js";
import { cacheDir, stackDir as defaultStackDir } from "../../core/paths.js";
import { missingStackFiles } from "../stack-folder.js";

function pairs(flag: string) {
  return (value: string, previous: { job: string; value: string }[] = []) => {
    const eq = value.indexOf("=");
    if (eq <= 0) throw new BadInputError(`${flag}: expected job=VALUE like checkout-api=http://127.0.0.1:8000/metrics, got "${value}"`);
    return [...previous, { job: value.slice(0, eq), value: value.slice(eq + 1) }];
  };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The Prometheus of a stack `slo-harness up` left running and still answering, if there is one. */
async function runningPrometheus(): Promise<string | undefined> {
  for (const dir of listRunDirs()) {
    const url = readState(dir)?.endpoints?.prometheus;
    if (!url) continue;
    // A run killed hard leaves its state behind; only a Prometheus that answers counts.
    const ready = await axios.get(`${url}/-/ready`, { proxy: false, timeout: 1000, validateStatus: () => true }).catch(() => undefined);
    if (ready?.status === 200) return url;
  }
  return undefined;
}

const MARK: Record<CheckResult["status"], string> = { pass: "PASS", fail: "FAIL", warn: "WARN", skip: "SKIP" };

export function registerCheck(program: Command): void {
  program
    .command("check [dir]")
    .option("--stack <dir>", "the stack folder to check, which must then hold every file a provider reads (the same as DIR, which may hold only some)")
    .description("preflight a stack directory: promtool, amtool and collector validation, then cross-checks of rules against targets and routes")
    .option("--rules <file>", "also check this rule file (repeatable)", collect)
    .option("--target <job=url>", "scrape this target for the metric cross-check (repeatable)", pairs("--target"))
    .option("--metrics-file <job=file>", "saved /metrics output for the metric cross-check (repeatable)", pairs("--metrics-file"))
    .option("--prometheus <url>", "discover targets from this Prometheus; default: a running `slo-harness up` stack")
    .option("--offline", "skip the metric cross-check, which needs a running target")
    .option("--slos <dir>", "also check a folder of SLO files (OpenSLO, Sloth, Pyrra): each read, and the rules generated from it checked by promtool")
    .option("--quiet", "print only failures and warnings")
    .option("--json", "print one JSON object: every check with its status and detail, and the counts")
    .action(
      async (
        dir: string | undefined,
        opts: {
          rules?: string[];
          target?: { job: string; value: string }[];
          metricsFile?: { job: string; value: string }[];
          prometheus?: string;
          offline?: boolean;
          slos?: string;
          quiet?: boolean;
          json?: boolean;
          stack?: string;
        },
      ) => {
        if (dir && opts.stack && path.resolve(dir) !== path.resolve(opts.stack))
          throw new BadInputError(`check: both ${dir} and --stack ${opts.stack} given; name one stack folder`);
        const missing = opts.stack ? missingStackFiles(path.resolve(opts.stack)) : [];
        if (missing.length) throw new BadInputError(`--stack ${opts.stack}: not a complete stack folder:\n${missing.map((m) => `  ${m}`).join("\n")}`);
        const stackDir = opts.stack ?? dir ?? defaultStackDir();
        const explicit = Boolean(opts.target?.length || opts.metricsFile?.length);
        const results = await preflight(stackDir, {
          extraRuleFiles: opts.rules,
          collectorBinary: path.join(cacheDir(), "bin", "otelcol-slo"),
          targets: opts.target?.map((t) => ({ job: t.job, url: t.value })),
          metricsFiles: opts.metricsFile?.map((m) => ({ job: m.job, file: m.value })),
          prometheusUrl: opts.offline ? undefined : (opts.prometheus ?? (explicit ? undefined : await runningPrometheus())),
        });
        if (opts.slos) results.push(...(await checkSloFiles(opts.slos)));
        const count = (s: CheckResult["status"]) => results.filter((r) => r.status === s).length;
        const counts = { fail: count("fail"), warn: count("warn"), pass: count("pass"), skip: count("skip") };
        // Nothing checked is not a pass: a folder with nothing the preflight can read must not look green.
        const nothingChecked = counts.pass + counts.fail + counts.warn === 0;
        process.exitCode = nothingChecked ? EXIT.badInput : counts.fail > 0 ? EXIT.failed : EXIT.ok;
        if (opts.json) {
          console.log(JSON.stringify({ stackDir, checked: !nothingChecked, counts, results }));
          return;
        }
        for (const r of results) {
          if (opts.quiet && (r.status === "pass" || r.status === "skip")) continue;
          const [first, ...rest] = r.detail.split("\n");
          console.log(`${MARK[r.status]} ${r.check}: ${first}`);
          for (const line of rest) console.log(`     ${line}`);
        }
        console.log(`\npreflight of ${stackDir}: ${counts.fail} failing, ${counts.warn} warning, ${counts.pass} passing, ${counts.skip} skipped checks`);
        if (nothingChecked) {
          console.log(
            `nothing was checked in ${stackDir}: no prometheus.yml, alertmanager.yml, otel-collector.yaml or rule file (a YAML file with groups:) was found; point check at a stack folder`,
          );
        }
      },
    );
}
