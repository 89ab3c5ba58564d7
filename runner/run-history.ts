import { rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { renderIndex, type IndexResult } from "../reports/index.js";

/** Where runs go when --out is not given: one folder per run, so nothing is overwritten and trends have data. */
export const HISTORY_ROOT = "slo-harness-reports";

/** 20261203T052801Z: sorts by time, and is a valid folder name everywhere. */
export function timestampFolder(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

/**
 * Points `latest` at this run's folder and rewrites the history's index page; returns the page and
 * the regressions this run brought (another experiment's standing ones were told when its run ended).
 */
export async function recordInHistory(runFolder: string): Promise<IndexResult> {
  const root = path.dirname(runFolder);
  const latest = path.join(root, "latest");
  rmSync(latest, { force: true });
  symlinkSync(path.basename(runFolder), latest);
  const { file, regressions } = await renderIndex(root);
  return { file, regressions: regressions.filter((r) => r.run.file.startsWith(`${path.basename(runFolder)}/`)) };
}
