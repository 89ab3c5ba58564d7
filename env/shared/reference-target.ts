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
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`the reference target's file ${file} cannot be read (${(err as Error).message}); is SLO_HARNESS_TARGET_DIR right?`, { cause: err });
  }
  const parsed = TargetSpec.safeParse(YAML.parse(text));
  if (!parsed.success) throw new Error(`${file}: the reference target does not parse: ${parsed.error.message}`);
  return { ...parsed.data, dir: path.dirname(file), source: path.relative(process.cwd(), file) || file };
}
