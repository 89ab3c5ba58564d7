import { existsSync } from "node:fs";
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
  const which = await execa("sh", ["-c", `command -v ${name}`], { reject: false });
  if (which.exitCode !== 0 || !which.stdout.trim()) {
    throw new Error(`${name}: not found on PATH; install the ${INSTALL_HINTS[name] ?? name}`);
  }
  return which.stdout.trim();
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
