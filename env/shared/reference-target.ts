import { readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { targetDir } from "../../core/paths.js";
import { TargetSpec, type TargetModel } from "../../core/target-spec.js";

/**
 * The reference API's target file, which a provider runs when the experiment declares no target of
 * its own: the same block any team writes, so nothing about that service is known to the providers.
 */
export function referenceTarget(): TargetModel {
  const file = path.join(targetDir(), "target.yaml");
  const parsed = TargetSpec.safeParse(YAML.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: the reference target does not parse: ${parsed.error.message}`);
  return { ...parsed.data, dir: path.dirname(file), source: path.relative(process.cwd(), file) || file };
}
