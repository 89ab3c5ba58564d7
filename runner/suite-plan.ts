import path from "node:path";
import type { LoadedExperiment } from "./experiment-loader.js";

/**
 * The experiments by the environment they run on, in the order given: a folder such as
 * experiments/ holds local ones and a kubernetes/ subfolder of kind ones, and each group gets its
 * own environment, started once. --env puts them all on one provider; experiments of different
 * targets still get one environment each, as an environment runs one system under test.
 * Keyed by a label for messages: the provider, and the target's name when there is one.
 */
export function byEnvironment(loaded: LoadedExperiment[], override: string | undefined): Map<string, LoadedExperiment[]> {
  const groups = new Map<string, LoadedExperiment[]>();
  for (const l of loaded) {
    const provider = providerOf(l, override);
    const label = `${provider} environment${l.target ? ` of ${l.target.name} (${l.target.source})` : ""}`;
    groups.set(label, [...(groups.get(label) ?? []), l]);
  }
  return groups;
}

export function providerOf(l: LoadedExperiment, override: string | undefined): string {
  return override ?? l.experiment.env.provider;
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
