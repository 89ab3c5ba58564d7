import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { cacheDir } from "./paths.js";

const INSTALL_HINT = "run `bash tools/install.sh` to install it";

/** A binary the installer built from the Go module proxy into the cache. */
export function cachedTool(name: string): string {
  const file = path.join(cacheDir(), "bin", name);
  if (!existsSync(file)) throw new Error(`${name}: not found at ${file}; ${INSTALL_HINT}`);
  return file;
}

/** A binary from a Debian package. */
export function systemTool(file: string, debianPackage: string): string {
  if (!existsSync(file)) throw new Error(`${path.basename(file)}: not found at ${file} (Debian package ${debianPackage}); ${INSTALL_HINT}`);
  return file;
}

/** Debian installs PostgreSQL's server binaries per major version, off PATH. */
export function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((d) => /^\d+$/.test(d))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const major = majors.find((m) => existsSync(path.join(root, m, "bin", "postgres")));
  if (!major) throw new Error(`postgres: no server binaries under ${root} (Debian package postgresql); ${INSTALL_HINT}`);
  return path.join(root, major, "bin");
}

export function venvPython(venvName: string): string {
  const bin = path.join(cacheDir(), "venv", venvName, "bin");
  if (!existsSync(path.join(bin, "python"))) throw new Error(`${venvName} venv: not found at ${bin}; ${INSTALL_HINT}`);
  return bin;
}
