import { accessSync, constants } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { KIND_VERSION } from "./chart-versions.js";
import type { Command } from "./kind-commands.js";

const HOW_TO_GET: Record<string, string> = {
  kind: `go install sigs.k8s.io/kind@${KIND_VERSION} (then put $(go env GOPATH)/bin on PATH), or a release binary from https://kind.sigs.k8s.io/docs/user/quick-start/#installation`,
  helm: "see https://helm.sh/docs/intro/install/ (a single binary; Helm 3.14 or later)",
  docker: "Docker Engine or Docker Desktop, https://docs.docker.com/engine/install/; kind runs its node as a container",
};

function onPath(binary: string, pathVar: string): boolean {
  return pathVar
    .split(path.delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        accessSync(path.join(dir, binary), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** Fails before anything is created when a binary the provider runs is missing, naming each and how to get it. */
export function requireTools(env: NodeJS.ProcessEnv = process.env, tools: string[] = Object.keys(HOW_TO_GET)): void {
  const missing = tools.filter((tool) => !onPath(tool, env.PATH ?? ""));
  if (missing.length === 0) return;
  throw new Error(
    `the kind provider needs ${missing.join(", ")} on PATH, and ${missing.length > 1 ? "they were" : "it was"} not found:\n` +
      missing.map((tool) => `  ${tool}: ${HOW_TO_GET[tool]}`).join("\n"),
  );
}

/** Runs one step's command; a failure names the step, the command line and the tail of its output. */
export async function runStep(step: string, cmd: Command, options: { cwd?: string } = {}): Promise<string> {
  const result = await execa(cmd.command, cmd.args, { reject: false, all: true, cwd: options.cwd, stdin: "ignore" });
  if (result.exitCode === 0) return result.stdout;
  const output = String(result.all ?? "")
    .trimEnd()
    .split("\n")
    .slice(-30)
    .join("\n");
  const why = result.exitCode === undefined ? (result.cause instanceof Error ? result.cause.message : "it could not be started") : `exit ${result.exitCode}`;
  throw new Error(`kind environment: step "${step}" failed: \`${[cmd.command, ...cmd.args].join(" ")}\` (${why}):\n${output || "(no output)"}`);
}
