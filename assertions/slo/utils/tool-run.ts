import { accessSync, constants, existsSync, statSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";

export interface ToolResult {
  ok: boolean;
  exitCode: number | undefined;
  /** stdout and stderr interleaved, as a person would see them in a terminal. */
  output: string;
  command: string;
}

const INSTALL_HINTS: Record<string, string> = {
  promtool: "Debian package prometheus (apt-get install prometheus)",
  amtool: "Debian package prometheus-alertmanager (apt-get install prometheus-alertmanager)",
};

/** Finds a binary on PATH (or at an absolute path) and says how to install it when it is missing. */
export async function requireTool(name: string): Promise<string> {
  if (name.startsWith("/")) {
    if (!existsSync(name)) throw new Error(`${name}: not found; run \`bash tools/install.sh\``);
    return name;
  }
  // Searched here rather than through a shell, so a name is only ever a file name.
  const found = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find((candidate) => isExecutable(candidate));
  if (!found) throw new Error(`${name}: not found on PATH; install the ${INSTALL_HINTS[name] ?? name}`);
  return found;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Runs a checker to completion with a timeout; a non-zero exit is a result, not an exception. */
export async function runTool(
  name: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ToolResult> {
  const binary = await requireTool(name);
  const result = await execa(binary, args, {
    cwd: options.cwd,
    env: options.env,
    all: true,
    reject: false,
    timeout: options.timeoutMs ?? 120_000,
  });
  if (result.timedOut) throw new Error(`${name} ${args.join(" ")}: no answer within ${(options.timeoutMs ?? 120_000) / 1000}s`);
  return { ok: result.exitCode === 0, exitCode: result.exitCode, output: String(result.all ?? "").trim(), command: [name, ...args].join(" ") };
}
