import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** A copy of a fixture with one edit, in a folder of its own: the file to refuse. */
export function edited(name: string, from: string | RegExp, to: string): string {
  const text = readFileSync(fixture(name), "utf8");
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${name}: the edit found nothing to replace (${String(from)})`);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "slo-harness-test-")), name);
  writeFileSync(file, changed);
  return file;
}
