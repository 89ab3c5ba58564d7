import { PLACEHOLDER } from "../core/request-spec.js";

export type ParamValue = string | number;

/**
 * How a drawn value is written where its placeholder stands: escaped for a URL path, as is in a
 * header or text body, as a JSON value of its own, or inside a JSON string.
 */
export type Escape = "path" | "text" | "json" | "in-json-string";

/** A template split once into literal text and placeholders, so each request only joins pieces. */
export type Piece = string | { param: string; escape: Escape };

function escaped(value: ParamValue, escape: Escape): string {
  switch (escape) {
    case "path":
      return encodeURIComponent(String(value));
    case "text":
      return String(value);
    case "json":
      return JSON.stringify(value);
    case "in-json-string":
      return JSON.stringify(String(value)).slice(1, -1);
  }
}

/** Adjacent literals merged, so a template without placeholders is one string. */
function merged(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    if (p === "") continue;
    if (typeof p === "string" && typeof out.at(-1) === "string") out[out.length - 1] += p;
    else out.push(p);
  }
  return out;
}

export function compileText(text: string, escape: "path" | "text" | "in-json-string"): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const literal = text.slice(last, match.index);
    pieces.push(escape === "in-json-string" ? JSON.stringify(literal).slice(1, -1) : literal, { param: match[1]!, escape });
    last = match.index + match[0].length;
  }
  const rest = text.slice(last);
  pieces.push(escape === "in-json-string" ? JSON.stringify(rest).slice(1, -1) : rest);
  return merged(pieces);
}

/**
 * A JSON body as pieces: a string that is exactly one placeholder takes the drawn value itself (a
 * number from a range stays a number); placeholders inside a longer string are escaped into it.
 */
export function compileJson(value: unknown): Piece[] {
  if (typeof value === "string") {
    const only = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
    return only ? [{ param: only[1]!, escape: "json" }] : merged(['"', ...compileText(value, "in-json-string"), '"']);
  }
  if (Array.isArray(value)) return merged(["[", ...value.flatMap((v, i) => [...(i ? [","] : []), ...compileJson(v)]), "]"]);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    return merged(["{", ...entries.flatMap(([k, v], i) => [...(i ? [","] : []), `${JSON.stringify(k)}:`, ...compileJson(v)]), "}"]);
  }
  return [JSON.stringify(value)];
}

export function render(pieces: readonly Piece[], value: (param: string) => ParamValue): string {
  if (pieces.length === 1 && typeof pieces[0] === "string") return pieces[0];
  let out = "";
  for (const p of pieces) out += typeof p === "string" ? p : escaped(value(p.param), p.escape);
  return out;
}

/** The parameters a template's pieces use, each once. */
export function paramsUsed(...templates: readonly (readonly Piece[])[]): string[] {
  return [...new Set(templates.flat().flatMap((p) => (typeof p === "string" ? [] : [p.param])))];
}
