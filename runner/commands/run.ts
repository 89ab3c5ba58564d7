import { constants } from "node:os";
import path from "node:path";
import type { Command } from "commander";
import type { StartedEnvironment } from "../../core/environment.js";
import { describeRegression, renderIndex } from "../../reports/index.js";
import { EXIT, BadInputError } from "../../core/errors.js";
import { experimentFiles } from "../experiment-files.js";
import { loadExperiment } from "../experiment-loader.js";
import { HarnessMetrics } from "../harness-metrics.js";
import { progressPrinter, type ProgressMode } from "../progress.js";
import { recoverKilledRunsFaults, runExperiment } from "../run-experiment.js";
import { HISTORY_ROOT, recordInHistory, timestampFolder } from "../run-history.js";
import { startEnvironment } from "../start-environment.js";
import { describePlan } from "../dry-run.js";
import { operatorGuards, repeatable, type OperatorFlags } from "../operator-config.js";
import { PROVIDER_NAMES, providerFor } from "../../env/provider-registry.js";
import type { Verdict } from "../../core/report-schema.js";

interface RunOptions extends OperatorFlags {
  env?: string;
  images?: string;
  out?: string;
  keep?: boolean;
  json?: boolean;
  quiet?: boolean;
  push?: string;
  dryRun?: boolean;
}

const EXIT_FOR: Record<Verdict, number> = { pass: EXIT.ok, fail: EXIT.failed, inconclusive: EXIT.inconclusive };

/** How a run ended early: by a signal (exit 128 + its number) or by an error nothing caught (exit 4). */
type Interruption = { signal: NodeJS.Signals } | { error: true };

/**
 * SIGINT, SIGTERM and SIGHUP (a closed terminal or SSH session) abort the run: faults roll back, a
 * partial report is written, then we exit. So does an error nothing caught, which would otherwise
 * end the process with a fault still in place.
 */
function abortOnSignals(controller: AbortController, say: (line: string) => void, interrupted: (why: Interruption) => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    interrupted({ signal });
    say(`slo-harness: ${signal}: rolling back faults and writing a partial report`);
    controller.abort();
  };
  let reported = false;
  const onUncaught = (err: unknown) => {
    interrupted({ error: true });
    if (reported) return;
    reported = true;
    process.stderr.write(`slo-harness: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    if (controller.signal.aborted) return;
    say("slo-harness: rolling back faults and writing a partial report after the internal error");
    controller.abort();
  };
  // The reader of stderr gone (a killed CI step, a closed pipe) is a hangup. The listener stays for
  // the life of the process: without it every later write would throw, uncaught, past the rollback.
  process.stderr.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") handler("SIGHUP");
  });
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.on(s, handler);
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);
  return () => {
    for (const s of signals) process.off(s, handler);
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onUncaught);
  };
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run one experiment, several, or a folder of them on one environment, and write reports")
    .argument("<experiments...>", "experiment files or folders")
    .option("--env <provider>", `override the experiments' env.provider: ${PROVIDER_NAMES.join(", ")}`)
    .option(
      "--images <source>",
      "testcontainers and kind: local (built here, no registry; on kind this installs the project's own manifests for the stack) or upstream images",
    )
    .option("--out <dir>", `where reports go; by default a new timestamped folder under ${HISTORY_ROOT}/ per run, with a latest link and an index of them all`)
    .option("--keep", "leave the environment running afterwards (stop it with `slo-harness down`)")
    .option("--json", "print the run's result as JSON on stdout, progress as JSON lines on stderr")
    .option("--quiet", "print nothing but errors")
    .option("--push <url>", "push the run's results to a Prometheus Pushgateway")
    .option("--dry-run", "validate and print what would be done, without starting anything")
    .option("--allow-protected-context", "existing: run even though the kubeconfig context matches a protected pattern such as *prod*")
    .option(
      "--protected-context <pattern>",
      "existing: also refuse contexts matching this glob (repeatable; adds to *prod*, *production*, *prd*, *live*)",
      repeatable,
    )
    .option("--chaos-namespace <namespace>", "existing: a namespace pod faults may touch (repeatable; a glob); none by default", repeatable)
    .option("--allow-system-namespace <namespace>", "existing: allow chaos in kube-system, kube-public or kube-node-lease (repeatable)", repeatable)
    .option("--operator-config <file>", "the operator's guards file (default ~/.config/slo-harness/operator.yaml)")
    .action(async (paths: string[], opts: RunOptions) => {
      const guards = operatorGuards(opts);
      const out = opts.out ?? path.join(HISTORY_ROOT, timestampFolder(new Date()));
      const loaded = experimentFiles(paths).map((f) => loadExperiment(f));
      const provider = opts.env ?? loaded[0]!.experiment.env.provider;
      if (!providerFor(provider)) throw new BadInputError(`--env: "${provider}" is not a provider; expected one of ${PROVIDER_NAMES.join(", ")}`);
      const mismatched = loaded.filter((l) => !opts.env && l.experiment.env.provider !== provider);
      if (mismatched.length > 0) {
        throw new BadInputError(
          `${mismatched[0]!.file}: env.provider: "${mismatched[0]!.experiment.env.provider}" differs from "${provider}"; a suite runs on one environment (or pass --env)`,
        );
      }
      if (opts.dryRun) {
        for (const l of loaded) console.log(describePlan(l, provider));
        return;
      }
      const mode: ProgressMode = opts.quiet ? "quiet" : opts.json ? "json" : "human";
      const say = (line: string) => mode !== "quiet" && process.stderr.write(`${line}\n`);
      const controller = new AbortController();
      let interruption: Interruption | undefined;
      const release = abortOnSignals(controller, say, (why) => (interruption ??= why));
      const metrics = new HarnessMetrics();
      let env: StartedEnvironment | undefined;
      const verdicts: { id: string; verdict: Verdict; outDir: string; summary: string }[] = [];
      try {
        const harnessMetrics = await metrics.serve();
        const recovered = await recoverKilledRunsFaults();
        say(`starting the ${provider} environment`);
        env = await startEnvironment(
          {
            provider,
            harnessMetrics,
            keep: Boolean(opts.keep),
            ...(opts.images ? { images: opts.images } : {}),
            guards,
          },
          loaded,
        );
        say(`environment up (${env.getEndpoints().runDir})`);
        for (const experiment of loaded) {
          if (controller.signal.aborted) break;
          const outDir = loaded.length > 1 ? path.join(out, experiment.id) : out;
          say(`\n${experiment.experiment.title}  [${experiment.file}]`);
          // The first experiment's report names what was rolled back before the environment started.
          const first = verdicts.length === 0 ? { recovered } : {};
          const report = await runExperiment(experiment, { env, outDir, signal: controller.signal, metrics, onEvent: progressPrinter(mode), ...first });
          verdicts.push({ id: experiment.id, verdict: report.verdict, outDir, summary: report.summary });
          say(`${report.verdict.toUpperCase()}: ${report.summary}\nreports in ${outDir}`);
          if (opts.push) await metrics.push(opts.push, experiment.id).catch((err: Error) => say(`could not push to ${opts.push}: ${err.message}`));
        }
        if (loaded.length > 1) say(`index of the suite: ${path.resolve((await renderIndex(out)).file)}`);
        if (!opts.out) {
          const history = await recordInHistory(out);
          say(`history of every run: ${path.resolve(history.file)}`);
          for (const r of history.regressions) say(`regression: ${describeRegression(r)}`);
        }
      } finally {
        release();
        await metrics.close();
        if (env && !opts.keep) await env.stop();
        else if (env) say(`environment left running at ${env.getEndpoints().runDir}; stop it with: slo-harness down`);
      }
      if (opts.json) console.log(JSON.stringify({ verdicts }));
      const worst = verdicts.some((v) => v.verdict === "fail") ? "fail" : verdicts.some((v) => v.verdict === "inconclusive") ? "inconclusive" : "pass";
      process.exitCode = interruption ? exitForInterruption(interruption) : EXIT_FOR[worst];
    });
}

function exitForInterruption(why: Interruption): number {
  if ("error" in why) return EXIT.harnessError;
  // 128 + the signal's number, as shells report it: EXIT.interrupted (130) for SIGINT.
  return 128 + constants.signals[why.signal];
}
