import { createHash } from "node:crypto";
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";

/** Short, stable hash of an image's inputs: the image tag. */
export function shortHash(parts: string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex").slice(0, 12);
}

/** A file by content (Dockerfiles, scripts, sources). */
export function contentPart(file: string): string {
  return `${path.basename(file)}:${createHash("sha256").update(readFileSync(file)).digest("hex")}`;
}

/**
 * A cached tool binary by identity rather than content (hashing 100 MB binaries on every call
 * would cost seconds): its resolved path names the version and build hash, plus size and mtime.
 */
export function binaryPart(file: string): string {
  const real = realpathSync(file);
  const stat = statSync(real);
  return `${real}:${stat.size}:${Math.floor(stat.mtimeMs)}`;
}

/** Files of a source tree, sorted, without Python caches. */
export function treeFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string): void => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      if (entry.name === "__pycache__" || entry.name.endsWith(".pyc") || entry.name === "wheels") continue;
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) out.push(rel);
    }
  };
  walk("");
  return out.sort();
}

export function treePart(dir: string): string {
  return treeFiles(dir)
    .map((rel) => `${rel}=${contentPart(path.join(dir, rel))}`)
    .join("\n");
}
