import path from "node:path";
import type { ParamSource, RequestBody, RequestTemplate, ValueSource } from "./experiment-model.js";
import type { LoadDef } from "./experiment-spec.js";
import { DEFAULT_PATH, type ParamDef, type RequestDef } from "./request-spec.js";

/** File paths in an experiment are relative to the experiment file, so it runs from any folder. */
function paramSource(def: ParamDef, baseDir: string): ParamSource {
  return "csv" in def ? { csv: path.resolve(baseDir, def.csv), column: def.column } : def;
}

function paramSources(defs: Record<string, ParamDef>, baseDir: string): Record<string, ParamSource> {
  return Object.fromEntries(Object.entries(defs).map(([name, def]) => [name, paramSource(def, baseDir)]));
}

function body(def: NonNullable<RequestDef["body"]>, baseDir: string): RequestBody {
  if (typeof def === "string") return { text: def };
  const keys = Object.keys(def);
  if (!Array.isArray(def) && keys.length === 1 && keys[0] === "file" && typeof def.file === "string") return { file: path.resolve(baseDir, def.file) };
  return { json: def };
}

function header(def: RequestDef["headers"][string], baseDir: string): ValueSource {
  if (typeof def === "string") return { text: def };
  return "env" in def ? { env: def.env } : { file: path.resolve(baseDir, def.file) };
}

/** One GET of a path, as a load sent before templates existed. */
export function getTemplate(only: string): RequestTemplate {
  return { name: `GET ${only}`, method: "GET", path: only, headers: {}, weight: 1, params: {} };
}

/** The load's requests as templates: a `path:` alone (or nothing) is one GET, as before templates existed. */
export function requestTemplates(def: LoadDef, baseDir: string): { requests: RequestTemplate[]; params: Record<string, ParamSource> } {
  const params = paramSources(def.params, baseDir);
  if (!def.requests) return { requests: [getTemplate(def.path ?? DEFAULT_PATH)], params };
  const requests = def.requests.map((r) => ({
    name: r.name ?? `${r.method} ${r.path}`,
    method: r.method,
    path: r.path,
    headers: Object.fromEntries(Object.entries(r.headers).map(([name, value]) => [name, header(value, baseDir)])),
    ...(r.body !== undefined ? { body: body(r.body, baseDir) } : {}),
    weight: r.weight,
    params: paramSources(r.params, baseDir),
  }));
  return { requests, params };
}
