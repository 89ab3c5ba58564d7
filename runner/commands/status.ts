import type { Command } from "commander";
import { listRunDirs, readState } from "../../env/local/index.js";
import { listKeptStacks } from "../../env/testcontainers/kept-stacks.js";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("list the stacks of this user and their endpoints: local ones, and testcontainers ones `run --keep` left")
    .option("--json", "print JSON")
    .action((opts: { json?: boolean }) => {
      const local = listRunDirs().map((runDir) => {
        const state = readState(runDir);
        return { runDir, provider: "local", persistent: state?.persistent, createdAt: state?.createdAt, endpoints: state?.endpoints };
      });
      const kept = listKeptStacks().map(({ runDir, state }) => ({
        runDir,
        provider: state.provider,
        persistent: true,
        createdAt: state.createdAt,
        endpoints: state.endpoints,
      }));
      const stacks = [...local, ...kept];
      if (opts.json) {
        console.log(JSON.stringify(stacks.map(({ runDir, provider, persistent, endpoints }) => ({ runDir, provider, persistent, endpoints }))));
        return;
      }
      if (stacks.length === 0) console.log("no stack is running");
      for (const { runDir, provider, persistent, createdAt, endpoints } of stacks) {
        console.log(`${runDir} (${provider}, ${persistent ? "up" : "owned by a run"}, since ${createdAt ?? "?"})`);
        for (const [name, url] of Object.entries(endpoints ?? {})) console.log(`  ${name.padEnd(15)} ${url}`);
      }
    });
}
