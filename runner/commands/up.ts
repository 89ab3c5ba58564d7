import type { Command } from "commander";
import { LocalEnvironment } from "../../env/local/index.js";
import { BadInputError, parsePositiveInt } from "../../core/errors.js";
import { STACK_OPTION_HELP, useStackFolder } from "../stack-folder.js";

export function registerUp(program: Command): void {
  program
    .command("up")
    .description("start the reference API and its observability stack, print its endpoints and leave it running")
    .option("--env <provider>", "where to run it: local", "local")
    .option("--json", "print the endpoints as one JSON object")
    .option("--max-connections <n>", "PostgreSQL max_connections", parsePositiveInt("--max-connections"), 40)
    .option("--workers <n>", "gunicorn workers of the API", parsePositiveInt("--workers"), 4)
    .option("--stack <dir>", STACK_OPTION_HELP)
    .action(async (opts: { env: string; json?: boolean; maxConnections: number; workers: number; stack?: string }) => {
      if (opts.env !== "local") throw new BadInputError(`--env: "${opts.env}" is not available yet; use --env local`);
      if (opts.stack) await useStackFolder(opts.stack, { local: true });
      const started = await new LocalEnvironment().withPersistence().withPostgresMaxConnections(opts.maxConnections).withApiWorkers(opts.workers).start();
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
