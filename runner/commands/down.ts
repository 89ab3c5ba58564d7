import type { Command } from "commander";
import { stopAllStacks } from "../../env/local/index.js";
import { removeKeptStacks } from "../../env/testcontainers/kept-stacks.js";

export function registerDown(program: Command): void {
  program
    .command("down")
    .description(
      "stop the stacks `up` and `run --keep` started (local and testcontainers) and any a killed run left (or the one in --run-dir); a running `run` keeps its own",
    )
    .option("--run-dir <dir>", "only the stack in this run directory")
    .action(async (opts: { runDir?: string }) => {
      const stopped = [...(await stopAllStacks(opts.runDir)), ...(await removeKeptStacks(opts.runDir))];
      console.log(stopped.length ? stopped.map((d) => `stopped ${d}`).join("\n") : "no stack was running");
    });
}
