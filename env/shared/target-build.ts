import { existsSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { cacheDir } from "../../core/paths.js";
import type { TargetModel } from "../../core/target-spec.js";

/** Where the installer puts Go and the tools it builds: a target's build finds them on PATH like the harness does. */
function toolPath(): string {
  const dirs = ["/usr/local/go/bin", path.join(cacheDir(), "bin")].filter((d) => existsSync(d));
  return [...dirs, process.env.PATH ?? ""].join(path.delimiter);
}

/**
 * Environment of a target's build and set-up commands. Go builds default to static binaries
 * (an image FROM scratch runs them) and to the installed toolchain, never a downloaded one.
 */
export function commandEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const defaults = { CGO_ENABLED: "0", GOTOOLCHAIN: "local", GOFLAGS: "-buildvcs=false" };
  const inherited = Object.fromEntries(Object.entries(defaults).filter(([k]) => process.env[k] === undefined));
  return { ...inherited, ...extra, PATH: toolPath() };
}

/** How one of a target's commands ended: `why` says how it failed ("exit 3", or that it could not start). */
export interface CommandOutcome {
  failed: boolean;
  why: string;
  output: string;
}

/**
 * Runs a target's commands in order, wherever `run` runs them, stopping at the first failure with
 * the tail of its output: a build that fails is the user's to fix, and the message must show why.
 */
export async function runTargetSteps(
  target: TargetModel,
  field: string,
  commands: readonly string[][],
  where: string,
  run: (argv: string[]) => Promise<CommandOutcome>,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  for (const [i, argv] of commands.entries()) {
    const startedAt = Date.now();
    const result = await run(argv);
    if (result.failed) {
      const tail = result.output.split("\n").slice(-20).join("\n");
      throw new Error(`${target.source}: ${field}[${i}] (${argv.join(" ")}) failed ${where} (${result.why}):\n${tail}`);
    }
    log(`${target.name}: ${field}[${i}] ${argv.join(" ")} (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
  }
}

/** The target's build or local set-up commands, run on this machine in `cwd`. */
export async function runTargetCommands(
  target: TargetModel,
  field: "build" | "local.setup",
  commands: readonly string[][],
  cwd: string,
  env: Record<string, string>,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  const run = async ([program, ...args]: string[]): Promise<CommandOutcome> => {
    const result = await execa(program!, args, { cwd, env: { ...commandEnvironment(), ...env }, reject: false, all: true });
    return {
      failed: result.failed,
      why: result.exitCode === undefined ? (result.shortMessage ?? "no exit code") : `exit ${result.exitCode}`,
      output: String(result.all ?? result.message),
    };
  };
  await runTargetSteps(target, field, commands, `in ${cwd}`, run, log);
}

/**
 * The standard OpenTelemetry SDK variables that point a service at the stack's collector. Spans
 * and logs leave within half a second, so detection latency is the stack's, not the SDK's batching.
 */
export function otelEnvironment(target: TargetModel, otlpHttpEndpoint: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: target.name,
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpHttpEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    OTEL_BSP_SCHEDULE_DELAY: "500",
    OTEL_BLRP_SCHEDULE_DELAY: "500",
    OTEL_METRIC_EXPORT_INTERVAL: "5000",
  };
}
