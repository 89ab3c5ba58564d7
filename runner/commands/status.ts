import type { Command } from "commander";
import { listRunDirs, readState } from "../../env/local/index.js";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("list the stacks of this user and their endpoints")
    .option("--json", "print JSON")
    .action((opts: { json?: boolean }) => {
      const stacks = listRunDirs().map((runDir) => ({ runDir, state: readState(runDir) }));
      if (opts.json) {
        console.log(JSON.stringify(stacks.map((s) => ({ runDir: s.runDir, persistent: s.state?.persistent, endpoints: s.state?.endpoints }))));
        return;
      }
      if (stacks.length === 0) console.log("no stack is running");
      for (const { runDir, state } of stacks) {
        console.log(`${runDir} (${state?.persistent ? "up" : "owned by a run"}, since ${state?.createdAt ?? "?"})`);
        for (const [name, url] of Object.entries(state?.endpoints ?? {})) console.log(`  ${name.padEnd(15)} ${url}`);
      }
    });
}
