import { readFileSync, statSync } from "node:fs";
import { parse } from "csv-parse/sync";
import type { ParamSource, RequestTemplate, ValueSource } from "../core/experiment-model.js";
import { BUILTIN_PARAMS } from "../core/request-spec.js";
import { compileJson, compileText, paramsUsed, type ParamValue, type Piece } from "./request-template.js";

/** Far more ids than a load needs; a bigger file is held whole in memory for the run, so it is refused. */
const MAX_CSV_BYTES = 64 * 2 ** 20;

/** A parameter ready to draw from; a CSV's columns keep their file, so one request takes one row for all of them. */
export type DrawSource =
  | { kind: "list"; values: readonly ParamValue[] }
  | { kind: "range"; from: number; to: number }
  | { kind: "csv"; file: string; values: readonly ParamValue[] }
  | { kind: "patient" };

/** A template with its secrets and files read and its text split into pieces: what the target stream sends. */
export interface ResolvedRequest {
  name: string;
  method: string;
  weight: number;
  path: Piece[];
  headers: [string, Piece[]][];
  /** A file's bytes go as they are; an inline body is a template. */
  body?: { base64: string } | { pieces: Piece[] };
  /** Only the parameters this template uses. */
  params: Record<string, DrawSource>;
}

/** JSON's own number syntax, so "007" or "1e" stay text: an id with leading zeros must not lose them. */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * A CSV cell as a parameter: a plain number is a number (as papaparse's dynamicTyping does for k6
 * users), so `{ "item": "{item}" }` sends 42, not "42"; everything else is text.
 */
function typedCell(cell: string): ParamValue {
  return JSON_NUMBER.test(cell) && Number.isFinite(Number(cell)) ? Number(cell) : cell;
}

/** Reads what the templates refer to, collecting every problem (named by its field) instead of stopping at the first. */
class Reader {
  readonly errors: string[] = [];
  private readonly csvs = new Map<string, Record<string, string>[] | undefined>();

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  secret(source: Exclude<ValueSource, { text: string }>, field: string): string | undefined {
    if ("env" in source) {
      const value = this.env[source.env];
      if (!value) this.errors.push(`${field}.env: environment variable ${source.env} is not set (or empty); export it before the run`);
      return value;
    }
    const value = this.file(source.file, `${field}.file`)?.toString("utf8").trim();
    if (value === "") this.errors.push(`${field}.file: ${source.file} is empty; put the secret in it`);
    return value || undefined;
  }

  file(file: string, field: string): Buffer | undefined {
    try {
      return readFileSync(file);
    } catch (err) {
      this.errors.push(
        `${field}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); paths are relative to the experiment file`,
      );
      return undefined;
    }
  }

  param(source: ParamSource, field: string): DrawSource | undefined {
    if ("list" in source) return { kind: "list", values: source.list };
    if ("range" in source) return { kind: "range", ...source.range };
    const rows = this.csv(source.csv, `${field}.csv`);
    if (!rows) return undefined;
    if (rows.length === 0) {
      this.errors.push(`${field}.csv: ${source.csv} has a header row and no rows below it; add the values`);
      return undefined;
    }
    if (!(source.column in rows[0]!)) {
      this.errors.push(`${field}.column: no column "${source.column}" in ${source.csv}; its header row has ${Object.keys(rows[0]!).join(", ")}`);
      return undefined;
    }
    return { kind: "csv", file: source.csv, values: rows.map((r) => typedCell(r[source.column]!)) };
  }

  private csv(file: string, field: string): Record<string, string>[] | undefined {
    if (this.csvs.has(file)) return this.csvs.get(file);
    let rows: Record<string, string>[] | undefined;
    const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    if (size > MAX_CSV_BYTES)
      this.errors.push(
        `${field}: ${file} is ${(size / 2 ** 20).toFixed(0)} MiB, more than the ${MAX_CSV_BYTES / 2 ** 20} MiB a parameter file may be; keep the values a run needs`,
      );
    const text = size > MAX_CSV_BYTES ? undefined : this.file(file, field);
    if (text) {
      try {
        rows = parse(text, { columns: true, skip_empty_lines: true, bom: true, trim: true }) as Record<string, string>[];
      } catch (err) {
        this.errors.push(`${field}: ${file} is not CSV with a header row: ${(err as Error).message}`);
      }
    }
    this.csvs.set(file, rows);
    return rows;
  }
}

/**
 * Reads every secret, body file and CSV column the templates name and compiles their text, so a
 * problem is found before anything starts; errors name the field, e.g.
 * `load.requests[1].headers.Authorization.env: environment variable CHECKOUT_TOKEN is not set`.
 * Secrets live in the result only, in memory, never in the model or a report.
 */
export function resolveRequests(
  templates: readonly RequestTemplate[],
  params: Readonly<Record<string, ParamSource>>,
  env: NodeJS.ProcessEnv = process.env,
): { requests: ResolvedRequest[]; errors: string[] } {
  const reader = new Reader(env);
  const shared = Object.fromEntries(Object.entries(params).map(([name, p]) => [name, reader.param(p, `load.params.${name}`)]));
  const requests = templates.map((t, i): ResolvedRequest => {
    const field = `load.requests[${i}]`;
    const own = Object.fromEntries(Object.entries(t.params).map(([name, p]) => [name, reader.param(p, `${field}.params.${name}`)]));
    const path = compileText(t.path, "path");
    const headers = Object.entries(t.headers).map(([name, source]): [string, Piece[]] => {
      if ("text" in source) return [name, compileText(source.text, "text")];
      return [name, [reader.secret(source, `${field}.headers.${name}`) ?? ""]];
    });
    let body: ResolvedRequest["body"];
    if (t.body && "file" in t.body) body = { base64: reader.file(t.body.file, `${field}.body.file`)?.toString("base64") ?? "" };
    else if (t.body && "text" in t.body) body = { pieces: compileText(t.body.text, "text") };
    else if (t.body) {
      body = { pieces: compileJson(t.body.json) };
      // A JSON body says what it is unless the template says otherwise.
      if (!headers.some(([name]) => name.toLowerCase() === "content-type")) headers.push(["Content-Type", ["application/json"]]);
    }
    const used = paramsUsed(path, ...headers.map(([, pieces]) => pieces), body && "pieces" in body ? body.pieces : []);
    const drawn: Record<string, DrawSource> = {};
    for (const name of used) {
      const source = own[name] ?? shared[name] ?? ((BUILTIN_PARAMS as readonly string[]).includes(name) ? { kind: "patient" as const } : undefined);
      if (source) drawn[name] = source;
    }
    return { name: t.name, method: t.method, weight: t.weight, path, headers, ...(body ? { body } : {}), params: drawn };
  });
  return { requests, errors: [...new Set(reader.errors)] };
}
