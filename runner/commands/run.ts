import { constants } from "node:os";
import path from "node:path";
import type { Command } from "commander";
import type { StartedEnvironment } from "../../core/environment.js";
import { REPORT_FILES, describeRegression, renderIndex } from "../../reports/index.js";
import { EXIT, BadInputError } from "../../core/errors.js";
import { experimentFiles } from "../experiment-files.js";
import { loadExperiment } from "../experiment-loader.js";
import { HarnessMetrics } from "../harness-metrics.js";
import { progressView, type ProgressMode } from "../progress/progress-mode.js";
import type { ProgressView } from "../progress/progress-view.js";
import { runEnding } from "../progress/run-ending.js";
import { recoverKilledRunsFaults, runExperiment } from "../run-experiment.js";
import type { RecoveredFault } from "../../chaos/index.js";
import { HISTORY_ROOT, recordInHistory, timestampFolder } from "../run-history.js";
import { startEnvironment } from "../start-environment.js";
import { describePlan, planOf } from "../dry-run.js";
import { byEnvironment, providerOf, reportFolders } from "../suite-plan.js";
import { operatorGuards, repeatable, type OperatorFlags } from "../operator-config.js";
import { PROVIDER_NAMES, providerFor } from "../../env/provider-registry.js";
import type { Report, Verdict } from "../../core/report-schema.js";
import { redact } from "../../core/redact.js";
import type { DistributedLoadRequest } from "../distributed-load-run.js";
import { STACK_OPTION_HELP, useStackFolder } from "../stack-folder.js";
import { checkVariablesUsed, variablesFrom, withVariableOptions, type VariableFlags } from "../variable-options.js";

interface RunOptions extends OperatorFlags, VariableFlags {
  stack?: string;
  env?: string;
  images?: string;
  out?: string;
  keep?: boolean;
  json?: boolean;
  quiet?: boolean;
  push?: string;
  dryRun?: boolean;
  slos?: string;
  distributedLoad?: number;
  loadRunnerImage?: string;
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
  withVariableOptions(program.command("run"))
    .description("run one experiment, several, or folders of them (with their subfolders), each on its env.provider's environment, and write reports")
    .argument("<experiments...>", "experiment files or folders")
    .option("--env <provider>", `override the experiments' env.provider: ${PROVIDER_NAMES.join(", ")}`)
    .option(
      "--images <source>",
      "testcontainers and kind: local (built here, no registry; on kind this installs the project's own manifests for the stack) or upstream images",
    )
    .option("--out <dir>", `where reports go; by default a new timestamped folder under ${HISTORY_ROOT}/ per run, with a latest link and an index of them all`)
    .option("--keep", "leave the environment running afterwards (stop it with `slo-harness down`)")
    .option("--json", "print the run's result as JSON on stdout (with --dry-run, the plans), progress as JSON lines on stderr")
    .option("--quiet", "print nothing but errors")
    .option("--push <url>", "push the run's results to a Prometheus Pushgateway")
    .option("--dry-run", "validate and print what would be done, without starting anything")
    .option("--slos <dir>", "a folder of SLO files (OpenSLO, Sloth, Pyrra) where the experiments' SLO names are also looked up")
    .option("--stack <dir>", STACK_OPTION_HELP)
    .option("--allow-protected-context", "existing: run even though the kubeconfig context matches a protected pattern such as *prod*")
    .option(
      "--protected-context <pattern>",
      "existing: also refuse contexts matching this glob (repeatable; adds to *prod*, *production*, *prd*, *live*)",
      repeatable,
    )
    .option("--chaos-namespace <namespace>", "existing: a namespace pod faults may touch (repeatable; a glob); none by default", repeatable)
    .option("--allow-system-namespace <namespace>", "existing: allow chaos in kube-system, kube-public or kube-node-lease (repeatable)", repeatable)
    .option("--operator-config <file>", "the operator's guards file (default ~/.config/slo-harness/operator.yaml)")
    .option(
      "--distributed-load <runners>",
      "kind and existing: send the load from this many runner pods (an Indexed Job in the target's namespace, each 1/N of the rate, one shared start) to the target's Service, merged into one result; the report says so",
      runnerCount,
    )
    .option(
      "--load-runner-image <ref>",
      "with --distributed-load: the runners' image as the cluster can pull or already holds it (`slo-harness images build --load-runner` builds it here)",
    )
    .action(async (paths: string[], opts: RunOptions) => {
      const guards = operatorGuards(opts);
      const out = opts.out ?? path.join(HISTORY_ROOT, timestampFolder(new Date()));
      const vars = variablesFrom(opts);
      const loaded = experimentFiles(paths).map((f) => loadExperiment(f, { slos: opts.slos, vars }));
      checkVariablesUsed(
        opts,
        loaded.flatMap((l) => l.variables),
      );
      if (opts.env && !providerFor(opts.env)) throw new BadInputError(`--env: "${opts.env}" is not a provider; expected one of ${PROVIDER_NAMES.join(", ")}`);
      const groups = byEnvironment(loaded, opts.env);
      const distributed = distributedRequest(
        opts,
        loaded.map((l) => providerOf(l, opts.env)),
      );
      if (opts.stack) {
        if ([...groups.keys()].every((p) => p === "existing"))
          throw new BadInputError(`--stack ${opts.stack}: the existing provider starts no stack, it queries yours; drop --stack`);
        await useStackFolder(opts.stack, { kubernetes: groups.has("kind"), local: groups.has("local") });
      }
      if (opts.dryRun) {
        const plans = [...groups.values()].flatMap((group) => group.map((l) => planOf(l, providerOf(l, opts.env))));
        // Through redact() as every other output: a secret --var may sit in a title or a query.
        const loadFrom = distributed
          ? `load from ${distributed.runners} runner pods of an Indexed Job (${distributed.image}) in the target's namespace, each 1/${distributed.runners} of the rate, sent to the target's Service`
          : undefined;
        console.log(
          redact(
            opts.json
              ? JSON.stringify({ plans, ...(distributed ? { distributedLoad: distributed } : {}) })
              : [...plans.map(describePlan), ...(loadFrom ? [loadFrom] : [])].join("\n"),
          ),
        );
        return;
      }
      const mode: ProgressMode = opts.quiet ? "quiet" : opts.json ? "json" : "human";
      // While an experiment runs, its view keeps the command's own lines above any live block.
      let view: ProgressView | undefined;
      const say = (line: string) => {
        if (mode === "quiet") return;
        if (view) view.say(line);
        else process.stderr.write(`${redact(line)}\n`);
      };
      const controller = new AbortController();
      let interruption: Interruption | undefined;
      const release = abortOnSignals(controller, say, (why) => (interruption ??= why));
      const metrics = new HarnessMetrics();
      const outDirs = reportFolders(loaded, out);
      const verdicts: { id: string; verdict: Verdict; outDir: string; summary: string }[] = [];
      try {
        const harnessMetrics = { address: await metrics.serve(), listen: (host: string, port?: number) => metrics.listen(host, port) };
        let recovered: RecoveredFault[] | undefined = await recoverKilledRunsFaults();
        for (const [label, group] of groups) {
          if (controller.signal.aborted) break;
          const provider = providerOf(group[0]!, opts.env);
          let env: StartedEnvironment | undefined;
          try {
            say(`starting the ${label}${groups.size > 1 ? ` for ${group.length} experiment${group.length === 1 ? "" : "s"}` : ""}`);
            env = await startEnvironment(
              { provider, harnessMetrics, keep: Boolean(opts.keep), ...(opts.images ? { images: opts.images } : {}), guards },
              group,
            );
            say(`environment up (${env.getEndpoints().runDir})`);
            for (const experiment of group) {
              if (controller.signal.aborted) break;
              const outDir = outDirs.get(experiment)!;
              say(`\n${experiment.experiment.title}  [${experiment.file}]`);
              // The first experiment's report names what was rolled back before the environment started.
              const first = recovered ? { recovered } : {};
              recovered = undefined;
              view = progressView(mode);
              let report: Report;
              try {
                report = await runExperiment(experiment, {
                  env,
                  outDir,
                  signal: controller.signal,
                  metrics,
                  onEvent: view.onEvent,
                  ...first,
                  ...(distributed ? { distributedLoad: distributed } : {}),
                });
              } finally {
                view.close();
                view = undefined;
              }
              verdicts.push({ id: experiment.id, verdict: report.verdict, outDir, summary: report.summary });
              const reportFile = path.resolve(outDir, REPORT_FILES[experiment.experiment.report.formats.includes("html") ? "html" : "json"]);
              if (mode === "human") for (const line of runEnding(report, reportFile)) say(line);
              else say(`${report.verdict.toUpperCase()}: ${report.summary}\nreport: ${reportFile}`);
              if (opts.push) await metrics.push(opts.push, experiment.id).catch((err: Error) => say(`could not push to ${opts.push}: ${err.message}`));
            }
          } finally {
            if (env && !opts.keep) await env.stop();
            else if (env) say(`environment left running at ${env.getEndpoints().runDir}; stop it with: slo-harness down`);
          }
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
      }
      if (opts.json) console.log(JSON.stringify({ verdicts }));
      const worst = verdicts.some((v) => v.verdict === "fail") ? "fail" : verdicts.some((v) => v.verdict === "inconclusive") ? "inconclusive" : "pass";
      process.exitCode = interruption ? exitForInterruption(interruption) : EXIT_FOR[worst];
    });
}

const MAX_RUNNERS = 50;

function runnerCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_RUNNERS)
    throw new BadInputError(`--distributed-load: expected a number of runner pods from 1 to ${MAX_RUNNERS} like 3, got "${value}"`);
  return n;
}

/** Checked before anything starts: runners need a cluster, which only providers with the kubernetes capability have. */
function distributedRequest(opts: RunOptions, providers: string[]): DistributedLoadRequest | undefined {
  if (opts.distributedLoad === undefined) {
    if (opts.loadRunnerImage) throw new BadInputError("--load-runner-image: only used with --distributed-load; add --distributed-load N or drop it");
    return undefined;
  }
  const without = [...new Set(providers)].filter((p) => !providerFor(p)?.capabilities().includes("kubernetes"));
  if (without.length > 0)
    throw new BadInputError(
      `--distributed-load: the ${without.join(", ")} provider has no Kubernetes cluster to run load runners in; use kind or existing, or drop the flag`,
    );
  if (!opts.loadRunnerImage)
    throw new BadInputError(
      "--distributed-load: give the runners' image with --load-runner-image REF (build it with `slo-harness images build --load-runner`)",
    );
  return { runners: opts.distributedLoad, image: opts.loadRunnerImage };
}

function exitForInterruption(why: Interruption): number {
  if ("error" in why) return EXIT.harnessError;
  // 128 + the signal's number, as shells report it: EXIT.interrupted (130) for SIGINT.
  return 128 + constants.signals[why.signal];
}
