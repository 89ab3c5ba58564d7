import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { BadInputError } from "../core/errors.js";

/** Expands the paths given to `run`: files as they are, folders to their *.yaml files in name order. */
export function experimentFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let stat;
    try {
      stat = statSync(p);
    } catch {
      throw new BadInputError(`${p}: no such file or folder; give an experiment file like experiments/smoke.yaml or a folder of them`);
    }
    if (stat.isDirectory()) {
      const found = readdirSync(p)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort();
      if (found.length === 0) throw new BadInputError(`${p}: the folder holds no .yaml experiment files`);
      files.push(...found.map((f) => path.join(p, f)));
    } else {
      files.push(p);
    }
  }
  return files;
}
