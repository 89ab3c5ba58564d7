import path from "node:path";
import type { Command } from "commander";
import { LocalEnvironment } from "../../env/local/index.js";
import { testcontainersProvider } from "../../env/testcontainers/testcontainers-provider.js";
import { NO_OPERATOR_GUARDS } from "../../core/operator-guards.js";
import type { StartedEnvironment } from "../../core/environment.js";
import type { TargetModel } from "../../core/target-spec.js";
import { BadInputError, parsePositiveInt } from "../../core/errors.js";
import { STACK_OPTION_HELP, useStackFolder } from "../stack-folder.js";
import { loadTargetFile } from "../target-loader.js";
import { targetRefusal } from "../experiment-loader.js";

interface UpOptions {
  env: string;
  json?: boolean;
  maxConnections: number;
  target?: string;
  stack?: string;
  images?: string;
}

export function registerUp(program: Command): void {
  program
    .command("up")
    .description("start a target (the reference API unless --target names one) and its observability stack, print its endpoints and leave it running")
    .option("--env <provider>", "where to run it: local, or testcontainers (containers on a Docker network of its own)", "local")
    .option("--json", "print the endpoints as one JSON object")
    .option("--max-connections <n>", "PostgreSQL max_connections", parsePositiveInt("--max-connections"), 40)
    .option("--target <file>", "a target.yaml to run instead of the reference API (its local: or url: block; container: on testcontainers)")
    .option("--stack <dir>", STACK_OPTION_HELP)
    .option("--images <source>", "testcontainers: local (built here by `slo-harness images build`, no registry) or upstream (pulled)")
    .action(async (opts: UpOptions) => {
      if (opts.env !== "local" && opts.env !== "testcontainers")
        throw new BadInputError(`--env: "${opts.env}" is not available for up; use local or testcontainers`);
      if (opts.images && opts.env !== "testcontainers")
        throw new BadInputError("--images: only the testcontainers provider takes images; add --env testcontainers");
      if (opts.stack) await useStackFolder(opts.stack, { local: opts.env === "local" });
      const target = opts.target ? loadTargetFile(path.resolve(opts.target), undefined, "--target").target : undefined;
      const startedAt = Date.now();
      const started = opts.env === "local" ? await upLocal(opts, target) : await upInContainers(opts, target);
      const endpoints = started.getEndpoints();
      if (opts.json) {
        console.log(JSON.stringify(endpoints));
        return;
      }
      console.log(`stack up in ${((Date.now() - startedAt) / 1000).toFixed(1)}s, run directory ${endpoints.runDir}`);
      for (const c of started.getComponents()) console.log(`  ${c.name.padEnd(15)} ${c.version.padEnd(22)}${c.pid ? ` pid ${c.pid}` : ""}`);
      for (const [name, url] of Object.entries(endpoints)) console.log(`  ${name.padEnd(15)} ${url}`);
      console.log("stop it with: slo-harness down");
    });
}

async function upLocal(opts: UpOptions, target: TargetModel | undefined): Promise<StartedEnvironment> {
  const env = new LocalEnvironment()
    .withPersistence()
    .withPostgresMaxConnections(opts.maxConnections)
    .withLog((line) => console.error(line));
  if (target) env.withTarget(target);
  return env.start();
}

async function upInContainers(opts: UpOptions, target: TargetModel | undefined): Promise<StartedEnvironment> {
  const refusal = target && targetRefusal(testcontainersProvider, target);
  if (refusal) throw new BadInputError(`--target: ${refusal}`);
  return testcontainersProvider.start({
    options: [{ maxConnections: opts.maxConnections }],
    // The proxy in front of the database too, so network faults can be tried on the running stack.
    needs: new Set(["toxiproxy"]),
    keep: true,
    guards: NO_OPERATOR_GUARDS,
    log: (line) => console.error(line),
    ...(opts.images ? { images: opts.images } : {}),
    ...(target ? { target } : {}),
  });
}
