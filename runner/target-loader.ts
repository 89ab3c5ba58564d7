import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { BadInputError, formatIssues } from "../core/errors.js";
import { TargetSpec, type TargetFile, type TargetModel } from "../core/target-spec.js";
import { NO_VARIABLES, type Variables } from "../core/variables.js";
import { lineOf, readExperimentYaml } from "./bounded-yaml.js";

/**
 * The experiment's `target:`: a path to a target file (relative to the experiment), or an inline
 * block already checked by the experiment's schema. Paths inside it resolve against its own folder.
 */
export function resolveTarget(ref: string | TargetFile, experimentFile: string, vars: Variables = NO_VARIABLES): { target: TargetModel; variables: string[] } {
  const experimentDir = path.dirname(path.resolve(experimentFile));
  if (typeof ref !== "string")
    return { target: checkedPaths({ ...ref, dir: experimentDir, source: `${path.basename(experimentFile)}: target` }), variables: [] };
  const file = path.resolve(experimentDir, ref);
  if (!existsSync(file))
    throw new BadInputError(
      `${path.basename(experimentFile)}: target: no target file at ${file}; give the path of a target.yaml relative to the experiment's folder, or write the block inline`,
    );
  return loadTargetFile(file, vars);
}

/** A target file, with the run's --var values substituted as in the experiment; also the names of those it read. */
export function loadTargetFile(file: string, vars: Variables = NO_VARIABLES, flag?: string): { target: TargetModel; variables: string[] } {
  const shown = path.relative(process.cwd(), file) || file;
  if (flag && !existsSync(file)) throw new BadInputError(`${flag}: no target file at ${file}; give the path of a target.yaml`);
  const { doc, counter, raw, variables } = readExperimentYaml(file, vars);
  if (raw === null || raw === undefined)
    throw new BadInputError(`${shown}: the file holds no fields; a target needs at least name: and one of local:, container: or url:`);
  const parsed = TargetSpec.safeParse(raw);
  if (!parsed.success)
    throw new BadInputError(formatIssues(parsed.error.issues, { file: shown, value: raw, schema: TargetSpec, lineOf: (p) => lineOf(doc, counter, p) }));
  return { target: checkedPaths({ ...parsed.data, dir: path.dirname(file), source: shown }), variables };
}

/** Files the target names must exist before anything starts; what its build makes (the binary) need not. */
function checkedPaths(target: TargetModel): TargetModel {
  const problems: string[] = [];
  const mustExist = (rel: string, field: string, kind: "file" | "folder") => {
    const full = path.resolve(target.dir, rel);
    const ok = existsSync(full) && (kind === "folder" ? statSync(full).isDirectory() : statSync(full).isFile());
    if (!ok) problems.push(`${target.source}: ${field}: no ${kind} at ${full}; paths are relative to ${target.dir}`);
  };
  target.rules.forEach((r, i) => mustExist(r, `rules[${i}]`, "file"));
  if (target.local?.cwd) mustExist(target.local.cwd, "local.cwd", "folder");
  if (target.container?.dockerfile) mustExist(target.container.dockerfile, "container.dockerfile", "file");
  if (problems.length) throw new BadInputError(problems.join("\n"));
  return target;
}
