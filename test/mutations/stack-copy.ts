import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "../../core/paths.js";
import type { StackCopy } from "./defects.js";

/** A fresh copy of env/stack/ and env/target/ to seed one defect into. */
export function copyStack(label: string): StackCopy {
  const root = mkdtempSync(path.join(tmpdir(), `slo-harness-mutant-${label}-`));
  const copy = { stack: path.join(root, "stack"), target: path.join(root, "target") };
  cpSync(path.join(repoRoot, "env", "stack"), copy.stack, { recursive: true });
  // The target's bytecode caches would be stale for edited sources.
  cpSync(path.join(repoRoot, "env", "target"), copy.target, { recursive: true, filter: (src) => !src.includes("__pycache__") });
  return copy;
}

/** What the harness reads to use the copy instead of the repository's stack and target. */
export function copyEnvironment(copy: StackCopy): Record<string, string> {
  return { SLO_HARNESS_STACK_DIR: copy.stack, SLO_HARNESS_TARGET_DIR: copy.target };
}
