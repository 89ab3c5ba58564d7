import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { z } from "zod";
import { BadInputError } from "../core/errors.js";
import { REPORT_SCHEMA_VERSION, ReportSchema, type Report } from "../core/report-schema.js";

/** Reads and checks a report.json; errors name the file, the field, what was found and the fix. */
export function readReportFile(file: string): Report {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new BadInputError(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); pass the report.json a run wrote`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BadInputError(`${file}: not valid JSON (${(err as Error).message}); pass the report.json a run wrote`);
  }
  return parseReport(json, basename(file));
}

export function parseReport(json: unknown, file: string): Report {
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof json === "object" && json !== null && version !== REPORT_SCHEMA_VERSION) {
    const writer = (json as { harness?: { version?: unknown } }).harness?.version;
    const which = typeof writer === "string" ? `slo-harness ${writer}, which wrote it` : "the slo-harness version that wrote it";
    throw new BadInputError(`${file}: schemaVersion: expected ${REPORT_SCHEMA_VERSION}, got ${JSON.stringify(version)}; render it with ${which}`);
  }
  const parsed = ReportSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const shown = parsed.error.issues.slice(0, 3).map((issue) => describeIssue(json, issue));
  const more = parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : "";
  throw new BadInputError(`${file}: ${shown.join("; ")}${more}; fix the field or re-run to write a fresh report.json`);
}

function describeIssue(root: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), "");
  let found: unknown = root;
  for (const key of issue.path) found = (found as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
  const got = found === undefined ? "nothing" : truncateJson(found);
  return `${path || "(top level)"}: ${issue.message.replace(/^Invalid input: /, "")}, got ${got}`;
}

function truncateJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
