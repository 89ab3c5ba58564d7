import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { z } from "zod";
import { targetDir } from "../../core/paths.js";
import { TargetSpec, type TargetModel } from "../../core/target-spec.js";

/** The last file parsed, kept while it is unchanged: a run asks for the reference at a dozen places, ~3 ms a parse. */
let parsedOnce: { file: string; stamp: string; spec: z.output<typeof TargetSpec> } | undefined;

/**
 * The reference API's target file, which a provider runs when the experiment declares no target of
 * its own: the same block any team writes, so nothing about that service is known to the providers.
 */
export function referenceTarget(): TargetModel {
  const file = path.join(targetDir(), "target.yaml");
  let stamp: string;
  try {
    const st = statSync(file);
    stamp = `${st.mtimeMs}:${st.size}`;
  } catch (err) {
    throw new Error(`the reference target's file ${file} cannot be read (${(err as Error).message}); is SLO_HARNESS_TARGET_DIR right?`, { cause: err });
  }
  if (parsedOnce?.file !== file || parsedOnce.stamp !== stamp) {
    const parsed = TargetSpec.safeParse(YAML.parse(readFileSync(file, "utf8")));
    if (!parsed.success) throw new Error(`${file}: the reference target does not parse: ${parsed.error.message}`);
    parsedOnce = { file, stamp, spec: parsed.data };
  }
  // A copy each time, so a caller that changes its target cannot change anyone else's.
  return { ...structuredClone(parsedOnce.spec), dir: path.dirname(file), source: path.relative(process.cwd(), file) || file };
}
