import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { dockerBuild, imageExists, type LogFn } from "./docker-cli.js";
import { shortHash } from "./input-hash.js";

/** One image: how its tag is computed (cheap, on every call) and how its context is assembled (only to build). */
export interface ImagePlan<N extends string = string> {
  name: N;
  keyParts: string[];
  buildArgs: Record<string, string>;
  assemble(contextDir: string, log: LogFn): Promise<void>;
}

/** Builds `slo-harness/<name>:<hash of its inputs>` unless an image of that name exists (or `force`). */
export async function buildOne(plan: ImagePlan, force: boolean, log: LogFn): Promise<string> {
  const tag = shortHash([plan.name, ...plan.keyParts]);
  const ref = `slo-harness/${plan.name}:${tag}`;
  if (!force && (await imageExists(ref))) {
    log(`${plan.name}: ${ref} (cached)`);
    return ref;
  }
  const started = Date.now();
  const contextDir = mkdtempSync(path.join(tmpdir(), `slo-harness-image-${plan.name}-`));
  try {
    await plan.assemble(contextDir, log);
    await dockerBuild(ref, contextDir, plan.buildArgs, { "org.slo-harness.image": plan.name, "org.slo-harness.inputs": tag });
  } finally {
    rmSync(contextDir, { recursive: true, force: true });
  }
  log(`${plan.name}: ${ref} (built in ${((Date.now() - started) / 1000).toFixed(1)}s)`);
  return ref;
}
