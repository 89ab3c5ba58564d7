import type { Command } from "commander";
import { stringify } from "yaml";
import { guardContext } from "../../env/existing/context-guard.js";
import { loadKubeConfig } from "../../core/kube-config.js";
import { defaultKubeconfig, expandHome } from "../../env/existing/existing-options.js";
import { k6Script, k6Thresholds, type K6ScriptResult } from "../../scenarios/k6-operator/k6-script.js";
import type { TestRunSpec } from "../../scenarios/k6-operator/test-run.js";
import { planLoad } from "../../scenarios/scenario-registry.js";
import { totalDurationMs } from "../../scenarios/load-plan.js";
import { BadInputError, EXIT, parsePositiveInt } from "../../core/errors.js";
import { loadExperiment } from "../experiment-loader.js";
import { operatorGuards, repeatable, type OperatorFlags } from "../operator-config.js";

interface ScaleOutOptions extends Pick<OperatorFlags, "operatorConfig" | "protectedContext" | "allowProtectedContext"> {
  targetUrl: string;
  namespace: string;
  parallelism: number;
  kubeconfig?: string;
  context?: string;
  name?: string;
  runnerImage?: string;
  secret?: string;
  startupTimeout: number;
  dryRun?: boolean;
}

export function registerScaleOut(program: Command): void {
  program
    .command("scale-out")
    .description("run an experiment's load as a k6-operator TestRun in a cluster (load beyond one machine), then print the runners' results")
    .argument("<experiment>", "experiment file whose load: section is run")
    .requiredOption("--target-url <url>", "the API as the runners reach it inside the cluster, e.g. http://checkout-api.shop.svc:8080")
    .option("--namespace <ns>", "namespace of the TestRun and its runners", "default")
    .option("--parallelism <n>", "runner pods; the rate is split among them", parsePositiveInt("--parallelism"), 2)
    .option("--kubeconfig <file>", "kubeconfig (default $KUBECONFIG or ~/.kube/config)")
    .option("--context <name>", "kubeconfig context (default its current one)")
    .option("--name <name>", "TestRun name (default slo-harness-<experiment>-<time>)")
    .option("--runner-image <image>", "k6 image for the runners, when the cluster needs its own")
    .option("--secret <name>", "a Secret in --namespace holding the variables the experiment's { env: NAME } headers read, one key each")
    .option(
      "--startup-timeout <seconds>",
      "allowed for the operator to start the runners, on top of the load's duration",
      parsePositiveInt("--startup-timeout"),
      300,
    )
    .option("--dry-run", "print the ConfigMap and TestRun instead of creating them")
    .option("--allow-protected-context", "run even though the context matches a protected pattern such as *prod*")
    .option("--protected-context <pattern>", "also refuse contexts matching this glob (repeatable; adds to *prod*, *production*, *prd*, *live*)", repeatable)
    .option("--operator-config <file>", "the operator's guards file (default ~/.config/slo-harness/operator.yaml)")
    .action(async (file: string, opts: ScaleOutOptions) => {
      // Loaded here, not at the top: with the Kubernetes client it costs every command ~0.6 s at startup.
      const { K6OperatorTestRun, testRunBody } = await import("../../scenarios/k6-operator/test-run.js");
      const guards = operatorGuards(opts);
      const loaded = loadExperiment(file, { secretsElsewhere: true });
      const load = loaded.experiment.load;
      if (!load) throw new BadInputError(`${file}: load: the experiment has no load section to scale out`);
      const refusal = targetUrlRefusal(opts.targetUrl);
      if (refusal) throw new BadInputError(`--target-url: ${refusal}`);
      const plan = planLoad(load);
      let generated: K6ScriptResult;
      try {
        generated = k6Script(plan, { baseUrl: opts.targetUrl, thresholds: k6Thresholds(loaded.slos) });
      } catch (err) {
        throw new BadInputError(`${file}: ${(err as Error).message}`);
      }
      const { script, secretEnv } = generated;
      if (secretEnv.length && !opts.secret)
        throw new BadInputError(
          `${file}: load.requests: headers read ${secretEnv.join(", ")} from the environment; the runners get them from a Secret: create one with those keys ` +
            `(kubectl create secret generic checkout-load -n ${opts.namespace} --from-literal=${secretEnv[0]}=…) and pass --secret checkout-load`,
        );
      const name = opts.name ?? `slo-harness-${loaded.id}-${Date.now().toString(36)}`.slice(0, 63);
      const spec: TestRunSpec = {
        namespace: opts.namespace,
        name,
        parallelism: opts.parallelism,
        script,
        ...(opts.runnerImage ? { runnerImage: opts.runnerImage } : {}),
        ...(secretEnv.length && opts.secret ? { secret: { name: opts.secret, keys: secretEnv } } : {}),
      };
      if (opts.dryRun) {
        console.log(stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: opts.namespace }, data: { "script.js": script } }));
        console.log("---");
        console.log(stringify(testRunBody(spec)));
        return;
      }
      let kc;
      try {
        kc = await loadKubeConfig({ kubeconfig: expandHome(opts.kubeconfig ?? defaultKubeconfig()), ...(opts.context ? { context: opts.context } : {}) });
        guardContext(kc.getCurrentContext(), kc.getCurrentCluster()!.name, guards);
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
        if (stage === "error") process.exitCode = EXIT.harnessError;
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        await run.delete();
      }
    });
}

/**
 * The runners' load must stay inside the cluster they run in: a Service's name (checkout-api,
 * checkout-api.shop, ….svc, ….svc.cluster.local) or loopback. A public host or an IP
 * address could be anyone's, so it is refused.
 */
export function targetUrlRefusal(targetUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch {
    return `expected an http(s) URL like http://checkout-api.shop.svc:8080, got "${targetUrl}"`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `expected an http(s) URL like http://checkout-api.shop.svc:8080, got "${targetUrl}"`;
  const host = url.hostname;
  if (/^127\.\d+\.\d+\.\d+$/.test(host) || host === "[::1]" || host === "localhost") return undefined;
  const labels = host.split(".");
  const inCluster = labels.length <= 2 || /\.svc(\.cluster\.local)?$/.test(host);
  if (inCluster && !/^[\d.]+$/.test(host) && !host.startsWith("[")) return undefined;
  return `${host} is not a Service of the cluster; the runners may load only the cluster's own Services (e.g. http://checkout-api.shop.svc:8080) or loopback, never an outside host or address`;
}
