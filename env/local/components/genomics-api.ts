import { type GenomicsApiOptions } from "../../shared/stack-options.js";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { targetDir } from "../../../core/paths.js";
import { venvPython } from "../../../core/tool-binaries.js";
import { startProcess } from "../../shared/managed-process.js";
import { readyCheckFor, waitReady } from "../../shared/wait-ready.js";
import { componentDir, logFile, type ComponentContext, type StartedComponent } from "./component-context.js";

/** The environment the target reads: libpq's names for the database, OTel's for the exporters. */
export function apiEnvironment(ctx: ComponentContext, options: GenomicsApiOptions): Record<string, string> {
  return {
    PGHOST: "127.0.0.1",
    PGPORT: String(ctx.dbProxy ? ctx.ports.postgresProxy : ctx.ports.postgres),
    PGUSER: "genomics",
    PGDATABASE: "genomics",
    BIND: `127.0.0.1:${ctx.ports.api}`,
    WORKERS: String(options.workers),
    THREADS: String(options.threads),
    PROMETHEUS_MULTIPROC_DIR: path.join(ctx.runDir, "genomics-api", "prometheus-multiproc"),
    OTEL_SERVICE_NAME: "genomics-api",
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ctx.ports.collectorOtlpHttp}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    // Spans and logs leave the API within a second, so detection latency is the stack's, not the SDK's.
    OTEL_BSP_SCHEDULE_DELAY: "500",
    OTEL_BLRP_SCHEDULE_DELAY: "500",
  };
}

export async function startGenomicsApi(ctx: ComponentContext, options: GenomicsApiOptions): Promise<StartedComponent> {
  const bin = venvPython("target");
  const source = targetDir();
  const dir = componentDir(ctx, "genomics-api");
  const env = apiEnvironment(ctx, options);
  mkdirSync(env.PROMETHEUS_MULTIPROC_DIR!, { recursive: true });
  const seed = await execa(path.join(bin, "python"), [path.join(source, "manage.py"), "seed_variants", "--patients", String(options.patients)], {
    cwd: source,
    env: { ...env, GENOMICS_TELEMETRY: "0" },
    reject: false,
    all: true,
  });
  if (seed.exitCode !== 0)
    throw new Error(`genomics-api: seeding the database failed (exit ${seed.exitCode}):\n${String(seed.all).split("\n").slice(-20).join("\n")}`);
  const readyUrl = `http://127.0.0.1:${ctx.ports.api}/health`;
  const proc = startProcess(
    {
      name: "genomics-api",
      command: path.join(bin, "gunicorn"),
      // --pid puts the run directory on the command line, which is how a later run finds strays.
      args: ["-c", path.join(source, "gunicorn.conf.py"), "--pid", path.join(dir, "gunicorn.pid")],
      cwd: source,
      env,
      logFile: logFile(ctx, "genomics-api"),
    },
    readyUrl,
  );
  ctx.track(proc);
  const readyMs = await waitReady(proc, readyCheckFor(readyUrl));
  const version = (await execa(path.join(bin, "python"), ["-c", "import django; print('django ' + django.get_version())"])).stdout.trim();
  return { info: { name: "genomics-api", version, pid: proc.record.pid, logFile: proc.record.logFile }, readyMs };
}
