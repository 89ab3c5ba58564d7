import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { BadInputError } from "../core/errors.js";
import { looksLikeSloFile } from "../assertions/slo/index.js";

/**
 * Expands the paths given to a command: files as they are, folders to their *.yaml files in name
 * order, then their subfolders' (a run groups them by the environment each needs). SLO files kept
 * with the experiments, and slos/ folders, are the experiments' SLOs, not experiments.
 */
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
      const found = yamlFilesIn(p);
      if (found.length === 0) throw new BadInputError(`${p}: the folder holds no .yaml experiment files`);
      files.push(...found);
    } else {
      files.push(p);
    }
  }
  return files;
}

function yamlFilesIn(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const here = entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(dir, e.name))
    .filter((f) => !looksLikeSloFile(f));
  const below = entries.filter((e) => e.isDirectory() && e.name !== "slos").flatMap((e) => yamlFilesIn(path.join(dir, e.name)));
  return [...here, ...below];
}
