import type { Command } from "commander";
import { stringify } from "yaml";
import { guardContext, DEFAULT_PROTECTED_CONTEXTS } from "../../env/existing/index.js";
import { loadKubeConfig } from "../../core/kube-config.js";
import { defaultKubeconfig, expandHome } from "../../env/existing/existing-options.js";
import { K6OperatorTestRun, k6Script, k6Thresholds, TESTRUN } from "../../scenarios/k6-operator/index.js";
import { planLoad } from "../../scenarios/scenario-registry.js";
import { totalDurationMs } from "../../scenarios/load-plan.js";
import { BadInputError, parsePositiveInt } from "../../core/errors.js";
import { loadExperiment } from "../experiment-loader.js";

interface ScaleOutOptions {
  targetUrl: string;
  namespace: string;
  parallelism: number;
  kubeconfig?: string;
  context?: string;
  name?: string;
  runnerImage?: string;
  startupTimeout: number;
  dryRun?: boolean;
  allowProtectedContext?: boolean;
}

export function registerScaleOut(program: Command): void {
  program
    .command("scale-out")
    .description("run an experiment's load as a k6-operator TestRun in a cluster (load beyond one machine), then print the runners' results")
    .argument("<experiment>", "experiment file whose load: section is run")
    .requiredOption("--target-url <url>", "the API as the runners reach it inside the cluster, e.g. http://genomics-api.genomics.svc:8000")
    .option("--namespace <ns>", "namespace of the TestRun and its runners", "default")
    .option("--parallelism <n>", "runner pods; the rate is split among them", parsePositiveInt("--parallelism"), 2)
    .option("--kubeconfig <file>", "kubeconfig (default $KUBECONFIG or ~/.kube/config)")
    .option("--context <name>", "kubeconfig context (default its current one)")
    .option("--name <name>", "TestRun name (default slo-harness-<experiment>-<time>)")
    .option("--runner-image <image>", "k6 image for the runners, when the cluster needs its own")
    .option(
      "--startup-timeout <seconds>",
      "allowed for the operator to start the runners, on top of the load's duration",
      parsePositiveInt("--startup-timeout"),
      300,
    )
    .option("--dry-run", "print the ConfigMap and TestRun instead of creating them")
    .option("--allow-protected-context", "run even though the context matches a protected pattern such as *prod*")
    .action(async (file: string, opts: ScaleOutOptions) => {
      const loaded = loadExperiment(file);
      const load = loaded.experiment.load;
      if (!load) throw new BadInputError(`${file}: load: the experiment has no load section to scale out`);
      if (!/^https?:\/\//.test(opts.targetUrl))
        throw new BadInputError(`--target-url: expected an http(s) URL like http://genomics-api.genomics.svc:8000, got "${opts.targetUrl}"`);
      const plan = planLoad(load);
      let script: string;
      try {
        script = k6Script(plan, { baseUrl: opts.targetUrl, thresholds: k6Thresholds(loaded.slos) });
      } catch (err) {
        throw new BadInputError(`${file}: load.scenario: ${(err as Error).message}`);
      }
      const name = opts.name ?? `slo-harness-${loaded.id}-${Date.now().toString(36)}`.slice(0, 63);
      const spec = { namespace: opts.namespace, name, parallelism: opts.parallelism, script, ...(opts.runnerImage ? { runnerImage: opts.runnerImage } : {}) };
      if (opts.dryRun) {
        console.log(stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: opts.namespace }, data: { "script.js": script } }));
        console.log("---");
        console.log(
          stringify({
            apiVersion: `${TESTRUN.group}/${TESTRUN.version}`,
            kind: TESTRUN.kind,
            metadata: { name, namespace: opts.namespace },
            spec: { parallelism: opts.parallelism, script: { configMap: { name, file: "script.js" } } },
          }),
        );
        return;
      }
      let kc;
      try {
        kc = loadKubeConfig({ kubeconfig: expandHome(opts.kubeconfig ?? defaultKubeconfig()), ...(opts.context ? { context: opts.context } : {}) });
        guardContext(kc.getCurrentContext(), kc.getCurrentCluster()!.name, DEFAULT_PROTECTED_CONTEXTS, Boolean(opts.allowProtectedContext));
      } catch (err) {
        throw new BadInputError((err as Error).message);
      }
      const run = new K6OperatorTestRun(kc, spec);
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        await run.create();
        console.error(`created TestRun ${opts.namespace}/${name}: ${plan.scenario}, ${opts.parallelism} runners`);
        const stage = await run.waitFinished(totalDurationMs(plan) + opts.startupTimeout * 1000, abort.signal);
        const results = await run.results();
        console.log(JSON.stringify({ testRun: `${opts.namespace}/${name}`, stage, results: results ?? null }, null, 2));
        if (stage === "error") process.exitCode = 3;
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        await run.delete();
      }
    });
}
