import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { SloDef } from "../../core/experiment-spec.js";
import { similarNames } from "../../core/similar-names.js";
import { formatIssues } from "../../core/errors.js";
import { ANNOTATION_CLIENT_ERRORS, OpenSloSchema, type OpenSlo } from "./openslo-schema.js";
import { hasWindowPlaceholder, type ClientErrorClass, type SloDefinition } from "./slo-definition.js";
import { latencyThreshold } from "./sli-selectors.js";
import { formatPromDuration, parsePromDuration } from "./utils/prom-duration.js";

const CLIENT_ERRORS: ClientErrorClass[] = ["5xx", "non-2xx", "any-failure"];

function requireWindow(query: string, where: string): string {
  if (!hasWindowPlaceholder(query))
    throw new Error(`${where}: the query has no "{{window}}" where its range goes, e.g. rate(x_total[{{window}}]); got ${query.trim()}`);
  return query;
}

function fromOpenSlo(doc: OpenSlo, source: string): SloDefinition {
  const ratio = doc.spec.indicator.spec.ratioMetric;
  const objective = doc.spec.objectives[0]!;
  const target = objective.target ?? (objective.targetPercent !== undefined ? objective.targetPercent / 100 : undefined);
  if (target === undefined) throw new Error(`${source}: spec.objectives[0]: expected target (e.g. 0.99) or targetPercent (e.g. 99)`);
  const windowText = doc.spec.timeWindow[0]!.duration;
  let periodMs: number;
  try {
    periodMs = parsePromDuration(windowText);
  } catch {
    throw new Error(`${source}: spec.timeWindow[0].duration: expected a duration in d, h or w like "30d" or "4w", got "${windowText}"`);
  }
  const clientErrors = (doc.metadata.annotations?.[ANNOTATION_CLIENT_ERRORS] ?? "5xx") as ClientErrorClass;
  if (!CLIENT_ERRORS.includes(clientErrors)) {
    throw new Error(`${source}: metadata.annotations.${ANNOTATION_CLIENT_ERRORS}: expected one of ${CLIENT_ERRORS.join(", ")}, got "${clientErrors}"`);
  }
  const q = (which: "good" | "bad" | "total") => {
    const src = ratio[which];
    return src ? requireWindow(src.metricSource.spec.query, `${source}: spec.indicator.spec.ratioMetric.${which}.metricSource.spec.query`) : undefined;
  };
  const good = q("good");
  const totalQuery = q("total")!;
  const base = {
    name: doc.metadata.name,
    service: doc.spec.service,
    description: doc.spec.description,
    objective: target,
    period: formatPromDuration(periodMs),
    periodMs,
    clientErrors,
    source,
  };
  const threshold = good ? latencyThreshold(good, `${source}: spec.indicator.spec.ratioMetric.good`) : undefined;
  if (good && threshold !== undefined) return { ...base, sli: { kind: "latency", goodQuery: good, totalQuery, thresholdSeconds: threshold } };
  return { ...base, sli: { kind: "ratio", goodQuery: good, badQuery: q("bad"), totalQuery } };
}

/** Reads every SLO document of an OpenSLO YAML file (documents separated by ---). */
export function loadSloFile(file: string): SloDefinition[] {
  const docs = YAML.parseAllDocuments(readFileSync(file, "utf8"));
  return docs.map((doc, i) => {
    const source = docs.length > 1 ? `${file} (document ${i + 1})` : file;
    if (doc.errors.length) throw new Error(`${source}: not valid YAML: ${doc.errors[0]!.message}`);
    const raw = doc.toJS() as unknown;
    const parsed = OpenSloSchema.safeParse(raw);
    if (!parsed.success) throw new Error(formatIssues(parsed.error.issues, { file: source, value: raw, schema: OpenSloSchema }));
    return fromOpenSlo(parsed.data, source);
  });
}

export function loadSloDir(dir: string): SloDefinition[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const slos = files.flatMap((f) => loadSloFile(path.join(dir, f)));
  const seen = new Map<string, string>();
  for (const s of slos) {
    if (seen.has(s.name)) throw new Error(`${s.source}: metadata.name: "${s.name}" is also defined in ${seen.get(s.name)}; SLO names must be unique`);
    seen.set(s.name, s.source);
  }
  return slos;
}

/** An experiment's inline SLO (Sloth's shape, objective in percent). */
export function fromExperimentSlo(def: SloDef, source: string): SloDefinition {
  const periodMs = parsePromDuration(def.window);
  requireWindow(def.errorQuery, `${source}: slos.${def.name}.errorQuery`);
  requireWindow(def.totalQuery, `${source}: slos.${def.name}.totalQuery`);
  return {
    name: def.name,
    service: def.name,
    objective: def.objective / 100,
    period: formatPromDuration(periodMs),
    periodMs,
    sli: { kind: "ratio", badQuery: def.errorQuery, totalQuery: def.totalQuery },
    clientErrors: def.clientErrors,
    source,
  };
}

/** Resolves an experiment's `slos:` list: names refer to files in the SLO directory. */
export function resolveExperimentSlos(entries: (string | SloDef)[], sloDir: string, source: string): SloDefinition[] {
  const byName = new Map(loadSloDir(sloDir).map((s) => [s.name, s]));
  return entries.map((entry, i) => {
    if (typeof entry !== "string") return fromExperimentSlo(entry, source);
    const found = byName.get(entry);
    if (!found) {
      const near = similarNames(entry, byName.keys(), 1)[0];
      throw new Error(
        `${source}: slos[${i}]: no SLO named "${entry}" in ${sloDir}${near ? `; did you mean "${near}"?` : ""} (known: ${[...byName.keys()].join(", ") || "none"})`,
      );
    }
    return found;
  });
}
