import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { repoRoot } from "../../../core/paths.js";

export interface PackedHarness {
  tarball: string;
  sha256: string;
  /** What the tarball holds, as npm lists it. */
  files: string[];
}

function tail(output: unknown, lines = 10): string {
  return String(output).trim().split("\n").slice(-lines).join("\n");
}

/** `npm pack` of the built tree into `dir`; dist/ must be built already, since packing runs no scripts. */
export async function packHarness(dir: string): Promise<PackedHarness> {
  const packed = await execa("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: repoRoot, reject: false, all: true });
  if (packed.exitCode !== 0) throw new Error(`npm pack of ${repoRoot} failed (exit ${packed.exitCode}): ${tail(packed.all)}`);
  const [{ filename, files }] = JSON.parse(String(packed.stdout)) as [{ filename: string; files: { path: string }[] }];
  const tarball = path.join(dir, filename);
  return { tarball, sha256: createHash("sha256").update(readFileSync(tarball)).digest("hex"), files: files.map((f) => f.path) };
}

/**
 * Installs a packed harness as a user's project would (`npm install TARBALL` in an empty folder under
 * `dir`, from the npm cache when it holds the dependencies) and returns the installed CLI.
 */
export async function installAsDependency(tarball: string, dir: string): Promise<{ app: string; cli: string }> {
  const app = path.join(dir, "app");
  mkdirSync(app, { recursive: true });
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "uses-slo-harness", version: "1.0.0", private: true }));
  const installed = await execa("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], {
    cwd: app,
    reject: false,
    all: true,
    timeout: 300_000,
  });
  if (installed.exitCode !== 0) throw new Error(`npm install of ${tarball} into ${app} failed (exit ${installed.exitCode}): ${tail(installed.all)}`);
  return { app, cli: path.join(app, "node_modules", ".bin", "slo-harness") };
}

/**
 * Unpacks a packed harness into `dir` and installs the runtime dependencies package-lock.json pins
 * (`npm ci --omit=dev`): the tree the tests ran, not whatever the registry resolves today.
 */
export async function installWithLock(tarball: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const unpacked = await execa("tar", ["-xzf", tarball, "-C", dir, "--strip-components=1"], { reject: false, all: true });
  if (unpacked.exitCode !== 0) throw new Error(`unpacking ${tarball} into ${dir} failed (exit ${unpacked.exitCode}): ${tail(unpacked.all)}`);
  writeFileSync(path.join(dir, "package-lock.json"), readFileSync(path.join(repoRoot, "package-lock.json")));
  const installed = await execa("npm", ["ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    reject: false,
    all: true,
    timeout: 300_000,
  });
  if (installed.exitCode !== 0) throw new Error(`npm ci --omit=dev in ${dir} failed (exit ${installed.exitCode}): ${tail(installed.all)}`);
}
