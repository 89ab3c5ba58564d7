import { closeSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { SloDef } from "../../core/experiment-spec.js";
import { OPENSLO_V1, OPENSLO_V1ALPHA, PYRRA_V1ALPHA1, SLOTH_PROMETHEUS_V1, type SloFormat } from "./formats/index.js";
import { sliFromQueries } from "./formats/sli-from-queries.js";
import type { SloDefinition } from "./slo-definition.js";
import { formatPromDuration, parsePromDuration } from "./utils/prom-duration.js";

export const SLO_FORMATS: readonly SloFormat[] = [OPENSLO_V1, OPENSLO_V1ALPHA, SLOTH_PROMETHEUS_V1, PYRRA_V1ALPHA1];

/** An SLO file is read whole; one far bigger than a page of YAML is a mistake, refused before it is parsed. */
const MAX_SLO_FILE_BYTES = 256 * 1024;

function formatFor(doc: unknown, source: string): SloFormat {
  const fields = doc !== null && typeof doc === "object" && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  const format = fields && SLO_FORMATS.find((f) => f.matches(fields));
  if (format) return format;
  const said =
    fields?.apiVersion !== undefined
      ? `apiVersion: ${JSON.stringify(fields.apiVersion)} is not a format the harness reads`
      : fields?.version !== undefined
        ? `version: ${JSON.stringify(fields.version)} is not a format the harness reads`
        : "apiVersion (or Sloth's version): missing, so this is not an SLO document";
  throw new Error(`${source}: ${said}; expected one of: ${SLO_FORMATS.map((f) => f.label).join("; ")}`);
}

/** Reads every SLO document of a YAML file (documents separated by ---), whichever format each is in. */
export function loadSloFile(file: string): SloDefinition[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`${file}: cannot read the SLO file: ${(err as Error).message}`);
  }
  if (text.length > MAX_SLO_FILE_BYTES)
    throw new Error(
      `${file}: ${Math.round(text.length / 1024)} KiB, more than the ${MAX_SLO_FILE_BYTES / 1024} KiB an SLO file may be; is this the right file?`,
    );
  // A trailing "---" (as in Pyrra's examples) leaves an empty document, which is no SLO and no error.
  const docs = YAML.parseAllDocuments(text).map((doc, i, all) => {
    const source = all.length > 1 ? `${file} (document ${i + 1})` : file;
    if (doc.errors.length) throw new Error(`${source}: not valid YAML: ${doc.errors[0]!.message}`);
    return { source, raw: doc.toJS({ maxAliasCount: 100 }) as unknown };
  });
  return docs.filter((d) => d.raw !== null && d.raw !== undefined).flatMap(({ raw, source }) => formatFor(raw, source).read(raw, source));
}

/** The SLO files of a folder (not its subfolders), in name order. */
export function sloFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Every SLO of a folder's files; a name defined twice is refused, naming both files. */
export function loadSloDir(dir: string): SloDefinition[] {
  return uniqueNames(sloFilesIn(dir).flatMap((f) => loadSloFile(f)));
}

export function uniqueNames(slos: SloDefinition[]): SloDefinition[] {
  const seen = new Map<string, string>();
  for (const s of slos) {
    if (seen.has(s.name)) throw new Error(`${s.source}: the SLO name "${s.name}" is also defined in ${seen.get(s.name)}; SLO names must be unique`);
    seen.set(s.name, s.source);
  }
  return slos;
}

/**
 * Whether a file says it is an SLO document, read from its top-level lines without parsing it, so
 * a folder of experiments and SLOs can be sorted cheaply and a hostile file costs nothing.
 */
const SLO_HEADER = /^(apiVersion:\s*["']?(openslo\/|pyrra\.dev\/)|version:\s*["']?prometheus\/)/m;
export function looksLikeSloFile(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const head = Buffer.alloc(MAX_SLO_FILE_BYTES);
    const read = readSync(fd, head, 0, head.length, 0);
    return SLO_HEADER.test(head.toString("utf8", 0, read));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** An experiment's inline SLO (Sloth's shape, objective in percent), bad or good over total events. */
export function fromExperimentSlo(def: SloDef, source: string): SloDefinition {
  const periodMs = parsePromDuration(def.window);
  const field = { bad: "errorQuery", good: "goodQuery", total: "totalQuery" } as const;
  return {
    name: def.name,
    service: def.name,
    objective: def.objective / 100,
    period: formatPromDuration(periodMs),
    periodMs,
    sli: sliFromQueries({ bad: def.errorQuery, good: def.goodQuery, total: def.totalQuery }, (part) => `${source}: slos.${def.name}.${field[part]}`),
    clientErrors: def.clientErrors,
    source,
  };
}
