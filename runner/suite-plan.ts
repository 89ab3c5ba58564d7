import path from "node:path";
import type { LoadedExperiment } from "./experiment-loader.js";

/**
 * The experiments by the environment they run on, in the order given: a folder such as
 * experiments/ holds local ones and a kubernetes/ subfolder of kind ones, and each group gets its
 * own environment, started once. --env puts them all on one.
 */
export function byEnvironment(loaded: LoadedExperiment[], override: string | undefined): Map<string, LoadedExperiment[]> {
  const groups = new Map<string, LoadedExperiment[]>();
  for (const l of loaded) {
    const provider = override ?? l.experiment.env.provider;
    groups.set(provider, [...(groups.get(provider) ?? []), l]);
  }
  return groups;
}

/**
 * Where each experiment's reports go: `out` itself for a single one, else a folder per experiment
 * named by its file; two files of one name in different folders get their folder's name in front.
 */
export function reportFolders(loaded: LoadedExperiment[], out: string): Map<LoadedExperiment, string> {
  if (loaded.length === 1) return new Map([[loaded[0]!, out]]);
  const taken = new Set<string>();
  return new Map(
    loaded.map((l) => {
      let name = taken.has(l.id) ? `${path.basename(path.dirname(l.file))}-${l.id}` : l.id;
      for (let n = 2; taken.has(name); n++) name = `${l.id}-${n}`;
      taken.add(name);
      return [l, path.join(out, name)];
    }),
  );
}
