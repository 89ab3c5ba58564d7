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

/**
 * Runs the target's commands in order in `cwd`, stopping at the first failure with the tail of
 * its output: a build that fails is the user's to fix, and the message must show why.
 */
export async function runTargetCommands(
  target: TargetModel,
  field: "build" | "local.setup",
  commands: readonly string[][],
  cwd: string,
  env: Record<string, string>,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  for (const [i, argv] of commands.entries()) {
    const [program, ...args] = argv as [string, ...string[]];
    const startedAt = Date.now();
    const result = await execa(program, args, { cwd, env: { ...commandEnvironment(), ...env }, reject: false, all: true });
    if (result.failed) {
      const tail = String(result.all ?? result.message)
        .split("\n")
        .slice(-20)
        .join("\n");
      throw new Error(
        `${target.source}: ${field}[${i}] (${argv.join(" ")}) failed in ${cwd} (${result.exitCode === undefined ? result.shortMessage : `exit ${result.exitCode}`}):\n${tail}`,
      );
    }
    log(`${target.name}: ${field}[${i}] ${argv.join(" ")} (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
  }
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
