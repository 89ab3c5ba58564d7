import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { BadInputError } from "../core/errors.js";
import type { Report } from "../core/report-schema.js";
import { readReportFile } from "./read-report.js";
import { REPORT_FILES } from "./write-reports.js";

export interface FoundReport {
  /** report.json's path relative to the scanned folder, with forward slashes for links. */
  file: string;
  report?: Report;
  /** Why the file could not be read; the index lists it rather than hiding it. */
  error?: string;
  /** Sibling report.html / junit.xml, relative, when present. */
  html?: string;
  junit?: string;
}

/** How deep `report index` looks: out/<suite>/<experiment>/<run>/report.json at most. */
const MAX_DEPTH = 4;

export function findReports(dir: string): FoundReport[] {
  if (!existsSync(dir)) throw new BadInputError(`${dir}: no such folder; pass the folder runs wrote their reports to (--out)`);
  const found: FoundReport[] = [];
  const walk = (folder: string, depth: number) => {
    const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const full = join(folder, entry.name);
      if (entry.isDirectory() && depth < MAX_DEPTH) walk(full, depth + 1);
      else if (entry.isFile() && entry.name === REPORT_FILES.json) found.push(load(dir, folder, full));
    }
  };
  walk(dir, 0);
  return found;
}

function load(root: string, folder: string, file: string): FoundReport {
  const rel = (p: string) => relative(root, p).split("\\").join("/");
  const sibling = (name: string) => (existsSync(join(folder, name)) ? { [name === REPORT_FILES.html ? "html" : "junit"]: rel(join(folder, name)) } : {});
  const base = { file: rel(file), ...sibling(REPORT_FILES.html), ...sibling(REPORT_FILES.junit) };
  try {
    return { ...base, report: readReportFile(file) };
  } catch (err) {
    return { ...base, error: (err as Error).message };
  }
}
