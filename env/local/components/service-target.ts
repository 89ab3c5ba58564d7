import { mkdirSync } from "node:fs";
import path from "node:path";
import type { TargetModel } from "../../../core/target-spec.js";
import { startProcess } from "../../shared/managed-process.js";
import { RUN_DIR_VARIABLE } from "../../shared/processes-naming-dir.js";
import { commandEnvironment, otelEnvironment, runTargetCommands } from "../../shared/target-build.js";
import { readyCheckFor, waitReady } from "../../shared/wait-ready.js";
import { logFile, type ComponentContext, type StartedComponent } from "./component-context.js";

/**
 * The experiment's own service as a process on 127.0.0.1: built, set up, then started with the
 * port the harness picked and the stack's OTLP endpoint in the standard OTEL_* variables.
 */
export async function startServiceTarget(
  ctx: ComponentContext,
  target: TargetModel,
  database: Record<string, string>,
  log: (line: string) => void,
): Promise<StartedComponent> {
  const local = target.local;
  if (!local) throw new Error(`${target.source}: local: the local provider runs the target from its local: block (command, portEnv); add one, or give url:`);
  const cwd = path.resolve(target.dir, local.cwd ?? ".");
  await runTargetCommands(target, "build", target.build, target.dir, {}, log);
  // The service's temporary files live in the run directory, so they go with it: a worker killed
  // by a fault never cleans up after itself (gunicorn's multiprocess metrics dir stayed in /tmp).
  const scratch = targetScratchDir(ctx.runDir, target.name);
  mkdirSync(scratch, { recursive: true, mode: 0o700 });
  const env = {
    TMPDIR: scratch,
    ...otelEnvironment(target, `http://127.0.0.1:${ctx.ports.collectorOtlpHttp}`),
    ...database,
    ...local.env,
    [local.portEnv]: String(ctx.ports.api),
  };
  await runTargetCommands(target, "local.setup", local.setup, cwd, env, log);
  const [program, ...args] = local.command as [string, ...string[]];
  // A relative program is the target's own (bin/api); a bare name is looked up on PATH.
  const command = program.includes("/") ? path.resolve(cwd, program) : program;
  const readyUrl = `http://127.0.0.1:${ctx.ports.api}${target.health}`;
  const proc = startProcess(
    { name: target.name, command, args, cwd, env: { ...commandEnvironment(), ...env, [RUN_DIR_VARIABLE]: ctx.runDir }, logFile: logFile(ctx, target.name) },
    readyUrl,
  );
  ctx.track(proc);
  const readyMs = await waitReady(proc, readyCheckFor(readyUrl));
  return { info: { name: target.name, version: `local: ${local.command.join(" ")}`, pid: proc.record.pid, logFile: proc.record.logFile }, readyMs };
}

/** TMPDIR of the service and its set-up commands; local.env may give another. */
export function targetScratchDir(runDir: string, targetName: string): string {
  return path.join(runDir, "tmp", targetName);
}
