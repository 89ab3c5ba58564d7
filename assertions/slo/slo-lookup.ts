import { existsSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import type { SloDef } from "../../core/experiment-spec.js";
import { similarNames } from "../../core/similar-names.js";
import type { SloDefinition } from "./slo-definition.js";
import { fromExperimentSlo, loadSloFile, looksLikeSloFile, sloFilesIn, uniqueNames } from "./slo-loader.js";

/** A folder an experiment's SLO names are looked up in. */
export interface SloPlace {
  dir: string;
  /** How the place is named in messages: "beside the experiment", "--slos". */
  why: string;
  /** The experiment's own folder holds experiments too: only files that say they are SLOs are read there. */
  mixed?: boolean;
  /** A folder the user named must exist; the conventional ones may not. */
  required?: boolean;
}

export interface SloSearch {
  /** The folder given with --slos. */
  extraDir?: string;
  /** The repository's own slos/ folder. */
  repoDir: string;
  /** The folder of the experiment's target file: a service's SLOs live with its target. */
  targetDir?: string;
}

/**
 * Where names are looked up, nearest first: the experiment's folder and a slos/ folder beside it
 * (a team keeps its SLOs with its experiments), the --slos folder, then the repository's slos/.
 */
export function sloPlaces(experimentFile: string, search: SloSearch): SloPlace[] {
  const here = path.dirname(path.resolve(experimentFile));
  const places: SloPlace[] = [
    { dir: here, why: "beside the experiment", mixed: true },
    { dir: path.join(here, "slos"), why: "beside the experiment" },
  ];
  if (search.targetDir) places.push({ dir: path.join(path.resolve(search.targetDir), "slos"), why: "the target's" });
  if (search.extraDir) places.push({ dir: path.resolve(search.extraDir), why: "--slos", required: true });
  places.push({ dir: path.resolve(search.repoDir), why: "the repository's" });
  // One folder reached two ways (--slos slos/) is one place, or every SLO in it would be a duplicate.
  const seen = new Set<string>();
  return places.filter((p) => {
    const real = existsSync(p.dir) ? realpathSync(p.dir) : p.dir;
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}

function shown(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return `${relative && !relative.startsWith("..") ? relative : dir}/`;
}

function slosAt(place: SloPlace): SloDefinition[] {
  if (!existsSync(place.dir) || !statSync(place.dir).isDirectory()) {
    if (place.required) throw new Error(`${place.why} ${place.dir}: no such folder; give a folder of SLO files`);
    return [];
  }
  const files = sloFilesIn(place.dir).filter((f) => !place.mixed || looksLikeSloFile(f));
  return uniqueNames(files.flatMap((f) => loadSloFile(f)));
}

/**
 * Resolves an experiment's `slos:` list: inline SLOs as they are, names against the places in
 * turn. A name two places define is refused with both files, as the run could check the wrong one.
 */
export function resolveExperimentSlos(entries: (string | SloDef)[], places: SloPlace[], source: string): SloDefinition[] {
  const wanted = entries.filter((e): e is string => typeof e === "string");
  const byName = new Map<string, SloDefinition[]>();
  if (wanted.length > 0) for (const place of places) for (const slo of slosAt(place)) byName.set(slo.name, [...(byName.get(slo.name) ?? []), slo]);
  return entries.map((entry, i) => {
    if (typeof entry !== "string") return fromExperimentSlo(entry, source);
    const found = byName.get(entry) ?? [];
    if (found.length > 1)
      throw new Error(
        `${source}: slos[${i}]: "${entry}" is defined in ${found.map((s) => s.source).join(" and in ")}; rename or remove one, so the run checks the SLO you meant`,
      );
    if (found.length === 0) {
      const near = similarNames(entry, byName.keys(), 3);
      const looked = places.map((p) => `${shown(p.dir)} (${p.why})`).join(", ");
      throw new Error(
        `${source}: slos[${i}]: no SLO named "${entry}" in ${looked}${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(" or ")}?` : ""} (known: ${[...byName.keys()].join(", ") || "none"})`,
      );
    }
    return found[0]!;
  });
}
