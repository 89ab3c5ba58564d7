import { execFileSync } from "node:child_process";

/** PostgreSQL refuses to run as root; when we are root it runs as the `postgres` system user. */
export function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    throw new Error("postgres: running as root needs the `postgres` system user (Debian package postgresql creates it); run `bash tools/install.sh`");
  }
}
