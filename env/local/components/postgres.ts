import { type PostgresOptions } from "../../shared/stack-options.js";
import { createTargetDatabase } from "../../shared/target-database.js";
import { randomBytes } from "node:crypto";
import { chownSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { postgresBinDir } from "../../../core/tool-binaries.js";
import { startProcess, logTail } from "../../shared/managed-process.js";
import { readyCheckFor, waitReady } from "../../shared/wait-ready.js";
import { componentDir, logFile, type ComponentContext, type StartedComponent } from "./component-context.js";
import { postgresUser } from "./postgres-user.js";

/**
 * The superuser keeps PostgreSQL's reserved slots, so the harness can still look when the pool is
 * exhausted. It logs in with the stack's own password (reports redact it).
 */
export function adminConnectionString(runDir: string, port: number, database: string): string {
  const password = encodeURIComponent(readFileSync(superuserPasswordFile(runDir), "utf8").trim());
  return `postgresql://postgres:${password}@127.0.0.1:${port}/${database}`;
}

function superuserPasswordFile(runDir: string): string {
  return path.join(runDir, "postgres", "superuser-password");
}

/**
 * Who may log in how: the superuser and every other role with a password over TCP, the superuser
 * without one only as the postgres system user on the socket. The target's role keeps trust: it
 * is no superuser, owns only this throwaway database, and the refusal check of pool-exhaustion
 * connects as it.
 */
function pgHba(role: string): string {
  return `# written by slo-harness
local all postgres peer
host all ${role} 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
`;
}

export async function startPostgres(ctx: ComponentContext, options: PostgresOptions, db: { database: string; role: string }): Promise<StartedComponent> {
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
  // A fresh superuser password per stack, in a file only its owner reads: no local user gets in as superuser by trust.
  const passwordFile = superuserPasswordFile(ctx.runDir);
  writeFileSync(passwordFile, `${randomBytes(18).toString("base64url")}\n`, { mode: 0o600 });
  if (owner) chownSync(passwordFile, owner.uid, owner.gid);
  const init = await execa(path.join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", `--pwfile=${passwordFile}`, "-E", "UTF8", "--no-sync", "--locale=C"], {
    uid: owner?.uid,
    gid: owner?.gid,
    reject: false,
    all: true,
  });
  if (init.exitCode !== 0) throw new Error(`postgres: initdb failed (exit ${init.exitCode}):\n${String(init.all).split("\n").slice(-20).join("\n")}`);
  writeFileSync(path.join(dataDir, "pg_hba.conf"), pgHba(db.role));
  // The superuser role answers even when ordinary slots are exhausted, so restarts are seen as ready.
  const readyUrl = adminConnectionString(ctx.runDir, ctx.ports.postgres, "postgres");
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
  await createTargetDatabase(adminConnectionString(ctx.runDir, ctx.ports.postgres, "postgres"), db).catch((err: Error) => {
    throw new Error(`postgres: creating the target's database ${db.database} (role ${db.role}) failed: ${err.message}\n${logTail(proc.record.logFile)}`);
  });
  const version = (await execa(path.join(bin, "postgres"), ["--version"])).stdout.replace(/^postgres \(PostgreSQL\) /, "");
  return { info: { name: "postgres", version, pid: proc.record.pid, logFile: proc.record.logFile }, readyMs };
}
