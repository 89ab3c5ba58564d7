import path from "node:path";
import type { Command } from "commander";
import { LocalEnvironment } from "../../env/local/index.js";
import { BadInputError, parsePositiveInt } from "../../core/errors.js";
import { STACK_OPTION_HELP, useStackFolder } from "../stack-folder.js";
import { loadTargetFile } from "../target-loader.js";

export function registerUp(program: Command): void {
  program
    .command("up")
    .description("start a target (the reference API unless --target names one) and its observability stack, print its endpoints and leave it running")
    .option("--env <provider>", "where to run it: local", "local")
    .option("--json", "print the endpoints as one JSON object")
    .option("--max-connections <n>", "PostgreSQL max_connections", parsePositiveInt("--max-connections"), 40)
    .option("--target <file>", "a target.yaml to run instead of the reference API (its local: or url: block)")
    .option("--stack <dir>", STACK_OPTION_HELP)
    .action(async (opts: { env: string; json?: boolean; maxConnections: number; target?: string; stack?: string }) => {
      if (opts.env !== "local") throw new BadInputError(`--env: "${opts.env}" is not available yet; use --env local`);
      if (opts.stack) await useStackFolder(opts.stack, { local: true });
      const env = new LocalEnvironment()
        .withPersistence()
        .withPostgresMaxConnections(opts.maxConnections)
        .withLog((line) => console.error(line));
      if (opts.target) env.withTarget(loadTargetFile(path.resolve(opts.target), undefined, "--target").target);
      const started = await env.start();
      const endpoints = started.getEndpoints();
      if (opts.json) {
        console.log(JSON.stringify(endpoints));
        return;
      }
      console.log(`stack up in ${(started.getStartMs() / 1000).toFixed(1)}s, run directory ${endpoints.runDir}`);
      for (const c of started.getComponents()) console.log(`  ${c.name.padEnd(15)} ${c.version.padEnd(22)} pid ${c.pid}`);
      for (const [name, url] of Object.entries(endpoints)) console.log(`  ${name.padEnd(15)} ${url}`);
      console.log("stop it with: slo-harness down");
    });
}
