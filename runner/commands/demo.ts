import type { Command } from "commander";
import { LocalEnvironment } from "../../env/local/index.js";
import { checkStack } from "../stack-check.js";
import { EXIT } from "../../core/errors.js";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("bring the local stack up, send traced requests and find them in every backend, then stop it")
    .option("--keep", "leave the stack running afterwards")
    .action(async (opts: { keep?: boolean }) => {
      const env = await new LocalEnvironment().withPersistence(Boolean(opts.keep)).start();
      const stop = () => (opts.keep ? Promise.resolve() : env.stop());
      try {
        console.log(`stack up in ${(env.getStartMs() / 1000).toFixed(1)}s (${env.getEndpoints().runDir})`);
        for (const c of env.getComponents()) console.log(`  ${c.name.padEnd(15)} ${c.version}`);
        const checks = await checkStack(env.getEndpoints());
        for (const c of checks) console.log(`${c.ok ? "PASS" : "FAIL"} ${c.pillar.padEnd(8)} ${c.seconds.toFixed(1).padStart(5)}s  ${c.evidence}`);
        process.exitCode = checks.every((c) => c.ok) ? EXIT.ok : EXIT.failed;
      } finally {
        await stop();
      }
    });
}
