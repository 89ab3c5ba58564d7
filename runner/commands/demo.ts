import path from "node:path";
import type { Command } from "commander";
import { LocalEnvironment } from "../../env/local/index.js";
import { checkStack } from "../stack-check.js";
import { EXIT } from "../../core/errors.js";
import { referenceTarget } from "../../env/shared/reference-target.js";
import { loadTargetFile } from "../target-loader.js";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "bring the local stack up with a target (the reference API unless --target names one), send traced requests and find them in every backend, then stop it",
    )
    .option("--target <file>", "a target.yaml to run instead of the reference API; its demo: block says what to send and look for")
    .option("--keep", "leave the stack running afterwards")
    .action(async (opts: { keep?: boolean; target?: string }) => {
      const target = opts.target ? loadTargetFile(path.resolve(opts.target), undefined, "--target").target : referenceTarget();
      const env = await new LocalEnvironment()
        .withPersistence(Boolean(opts.keep))
        .withTarget(target)
        .withLog((line) => console.error(line))
        .start();
      const stop = () => (opts.keep ? Promise.resolve() : env.stop());
      try {
        console.log(`stack up in ${(env.getStartMs() / 1000).toFixed(1)}s (${env.getEndpoints().runDir})`);
        for (const c of env.getComponents()) console.log(`  ${c.name.padEnd(15)} ${c.version}`);
        const checks = await checkStack(env.getEndpoints(), target);
        for (const c of checks) console.log(`${c.ok ? "PASS" : "FAIL"} ${c.pillar.padEnd(8)} ${c.seconds.toFixed(1).padStart(5)}s  ${c.evidence}`);
        process.exitCode = checks.every((c) => c.ok) ? EXIT.ok : EXIT.failed;
      } finally {
        await stop();
      }
    });
}
