import { type PostgresOptions } from "../../shared/stack-options.js";
import { createGenomicsDatabase } from "../../shared/genomics-database.js";
import { chownSync, mkdirSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { postgresBinDir } from "../../../core/tool-binaries.js";
import { startProcess, logTail } from "../../shared/managed-process.js";
import { readyCheckFor, waitReady } from "../../shared/wait-ready.js";
import { componentDir, logFile, type ComponentContext, type StartedComponent } from "./component-context.js";
import { postgresUser } from "./postgres-user.js";

/** The superuser keeps PostgreSQL's reserved slots, so the harness can still look when the pool is exhausted. */
export function adminConnectionString(port: number): string {
  return `postgresql://postgres@127.0.0.1:${port}/genomics`;
}

export async function startPostgres(ctx: ComponentContext, options: PostgresOptions): Promise<StartedComponent> {
  const bin = postgresBinDir();
  const dir = componentDir(ctx, "postgres");
  const dataDir = path.join(dir, "data");
  const socketDir = path.join(dir, "socket");
  mkdirSync(socketDir, { recursive: true });
  const owner = postgresUser();
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(socketDir, owner.uid, owner.gid);
  }
  const init = await execa(path.join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"], {
    uid: owner?.uid,
    gid: owner?.gid,
    reject: false,
    all: true,
  });
  if (init.exitCode !== 0) throw new Error(`postgres: initdb failed (exit ${init.exitCode}):\n${String(init.all).split("\n").slice(-20).join("\n")}`);
  // The superuser role answers even when ordinary slots are exhausted, so restarts are seen as ready.
  const readyUrl = `postgresql://postgres@127.0.0.1:${ctx.ports.postgres}/postgres`;
  const proc = startProcess(
    {
      name: "postgres",
      command: path.join(bin, "postgres"),
      args: [
        "-D",
        dataDir,
        "-p",
        String(ctx.ports.postgres),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        `unix_socket_directories=${socketDir}`,
        "-c",
        `max_connections=${options.maxConnections}`,
        // A throwaway database: durability buys nothing and costs start-up time.
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "log_connections=off",
      ],
      logFile: logFile(ctx, "postgres"),
      uid: owner?.uid,
      gid: owner?.gid,
    },
    readyUrl,
  );
  ctx.track(proc);
  const readyMs = await waitReady(proc, readyCheckFor(readyUrl));
  await createGenomicsDatabase(ctx.ports.postgres).catch((err: Error) => {
    throw new Error(`postgres: creating the genomics database failed: ${err.message}\n${logTail(proc.record.logFile)}`);
  });
  const version = (await execa(path.join(bin, "postgres"), ["--version"])).stdout.replace(/^postgres \(PostgreSQL\) /, "");
  return { info: { name: "postgres", version, pid: proc.record.pid, logFile: proc.record.logFile }, readyMs };
}
