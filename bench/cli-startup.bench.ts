import { execFileSync } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { repoRoot } from "../core/paths.js";
import { describe } from "./stats.js";

/** A quick command should feel instant; heavy libraries load only where a run needs them (test/startup-imports.test.ts). */
const TARGET_MS = 600;
const ROUNDS = 7;

const COMMANDS: string[][] = [["--version"], ["--help"], ["validate", "experiments/smoke.yaml"], ["list"]];

/** Wall time of whole CLI processes, start to exit, for commands that start nothing. */
export async function benchCliStartup(): Promise<void> {
  const cli = path.join(repoRoot, "bin", "slo-harness.js");
  console.log(`CLI startup: wall time of \`slo-harness <command>\`, ${ROUNDS} runs each, target < ${TARGET_MS} ms`);
  for (const args of COMMANDS) {
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const start = performance.now();
      execFileSync(process.execPath, [cli, ...args], { cwd: repoRoot, stdio: "ignore" });
      times.push(performance.now() - start);
    }
    console.log(`  ${args.join(" ").padEnd(32)} ${describe(times, "ms", 0)}`);
  }
}
