import { spawn } from "node:child_process";
import path from "node:path";
import { repoRoot } from "../core/paths.js";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ReturnType<typeof spawn>;
  result: Promise<CliResult>;
  /** Resolves when stderr has printed a line matching the pattern. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
}

/** Runs the built CLI (dist/) as a user would, capturing its output and exit code. */
export function runCli(args: string[], options: { env?: Record<string, string> } = {}): CliRun {
  const child = spawn(process.execPath, [path.join(repoRoot, "bin", "slo-harness.js"), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString();
    for (const w of watchers.filter((w) => w.pattern.test(stderr))) {
      watchers.splice(watchers.indexOf(w), 1);
      w.resolve();
    }
  });
  const result = new Promise<CliResult>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  // A wait that fails stops the run (SIGTERM rolls back and tears down), so no stack outlives the test.
  const waitFor = (pattern: RegExp, timeoutMs = 120_000) =>
    new Promise<void>((resolve, reject) => {
      if (pattern.test(stderr)) return resolve();
      const fail = (why: string) => {
        child.kill("SIGTERM");
        reject(new Error(`${why} waiting for ${pattern} on stderr; got:\n${stderr.slice(-2000)}`));
      };
      const timer = setTimeout(() => fail(`waited ${timeoutMs / 1000}s`), timeoutMs);
      void result.then(({ code }) => (clearTimeout(timer), fail(`the CLI exited with ${code}`)));
      watchers.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
    });
  return { child, result, waitFor };
}
