import { z } from "zod";
import { isSecretKey } from "./redact.js";

/** `{name}` in a path, a header value or an inline body: a parameter drawn per request. */
export const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** Filled by the harness when no parameter of that name is defined: hot patients and a long tail, as clinics do. */
export const BUILTIN_PARAMS = ["patient"] as const;
/** What a load without `path:` or `requests:` sends, as it always has. */
export const DEFAULT_PATH = "/analysis/{patient}";

const paramName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "expected a parameter name like customer_id (letters, digits, _)" });
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { message: "expected an HTTP header name like Content-Type" });
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "expected an environment variable name like CHECKOUT_TOKEN" });

/** Where a secret comes from; the experiment never holds one, so a committed file or a report leaks none. */
const FromEnv = z.strictObject({ env: envName });
const FromFile = z.strictObject({ file: z.string().min(1) });

/** Each from a list, a range of integers (both ends included), or a CSV file's column (with a header row). */
export const ParamSpec = z.union([
  z.strictObject({ list: z.array(z.union([z.string(), z.number()])).min(1) }),
  z.strictObject({
    range: z.strictObject({ from: z.number().int(), to: z.number().int() }).refine((r) => r.from <= r.to, { message: "expected from <= to" }),
  }),
  z.strictObject({ csv: z.string().min(1), column: z.string().min(1) }),
]);
export const ParamsSpec = z.record(paramName, ParamSpec);

export const RequestSpec = z.strictObject({
  /** How reports name it; default "METHOD /path". */
  name: z.string().min(1).max(100).optional(),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]).default("GET"),
  path: z.string().startsWith("/"),
  headers: z.record(headerName, z.union([z.string(), FromEnv, FromFile])).default({}),
  /** Inline text, a JSON object or array (sent as JSON), or `{ file: PATH }` sent byte for byte. */
  body: z.union([FromFile, z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  /** Share of the requests, relative to the other templates; 0 sends none. */
  weight: z.number().min(0).default(1),
  params: ParamsSpec.default({}),
});

export type RequestDef = z.infer<typeof RequestSpec>;
export type ParamDef = z.infer<typeof ParamSpec>;

/** Every string of an inline JSON body, with its path below `body`, where placeholders may stand. */
function jsonStrings(value: unknown, at: PropertyKey[]): [string, PropertyKey[]][] {
  if (typeof value === "string") return [[value, at]];
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonStrings(v, [...at, i]));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => jsonStrings(v, [...at, k]));
  return [];
}

/** Where placeholders may stand in one template, each with its field path below the template. */
function templatedFields(r: Pick<RequestDef, "path" | "headers" | "body">): [string, PropertyKey[]][] {
  const fields: [string, PropertyKey[]][] = [[r.path, ["path"]]];
  for (const [name, value] of Object.entries(r.headers)) if (typeof value === "string") fields.push([value, ["headers", name]]);
  const isFile = r.body !== undefined && typeof r.body === "object" && !Array.isArray(r.body) && Object.keys(r.body).length === 1 && "file" in r.body;
  if (r.body !== undefined && !isFile) fields.push(...jsonStrings(r.body, ["body"]));
  return fields;
}

export interface LoadRequestsDef {
  path?: string | undefined;
  requests?: RequestDef[] | undefined;
  params: Record<string, ParamDef>;
}

/** The checks of `load.requests` a field's own schema cannot make: they look across fields. */
export function checkRequests(load: LoadRequestsDef, ctx: z.RefinementCtx): void {
  if (load.path !== undefined && load.requests !== undefined) {
    ctx.addIssue({ code: "custom", path: ["requests"], message: "give path or requests, not both: path is one GET template, requests a weighted list" });
    return;
  }
  const templates: { r: Pick<RequestDef, "path" | "headers" | "body" | "params">; at: PropertyKey[] }[] = load.requests
    ? load.requests.map((r, i) => ({ r, at: ["requests", i] }))
    : [{ r: { path: load.path ?? DEFAULT_PATH, headers: {}, params: {} }, at: [] }];
  for (const { r, at } of templates) {
    const known = new Set([...BUILTIN_PARAMS, ...Object.keys(load.params), ...Object.keys(r.params)]);
    for (const [text, field] of templatedFields(r)) {
      for (const [, name] of text.matchAll(PLACEHOLDER)) {
        if (!known.has(name!))
          ctx.addIssue({
            code: "custom",
            path: [...at, ...field],
            message: `unknown placeholder {${name}}; define it under load.params or this request's params (known: ${[...known].join(", ")})`,
          });
      }
    }
  }
  if (!load.requests) return;
  for (const [i, r] of load.requests.entries()) {
    const csvParams = new Set(Object.entries({ ...load.params, ...r.params }).flatMap(([name, p]) => ("csv" in p ? [name] : [])));
    for (const [name, value] of Object.entries(r.headers)) {
      if (name.toLowerCase() === "traceparent")
        ctx.addIssue({
          code: "custom",
          path: ["requests", i, "headers", name],
          message: "the harness sets traceparent on every request (each its own trace id); remove it",
        });
      // Per-user tokens from a CSV file ("Bearer {token}") keep the secret out of the experiment too.
      else if (typeof value === "string" && isSecretKey(name) && ![...value.matchAll(PLACEHOLDER)].some(([, p]) => csvParams.has(p!)))
        // The path stops at headers: a line ending "Authorization: ..." would be redacted whole when printed.
        ctx.addIssue({
          code: "custom",
          path: ["requests", i, "headers"],
          message: `${name} is a credential header, and a committed experiment must not hold a credential: give { env: NAME } or { file: PATH } instead of the value`,
        });
    }
  }
  if (load.requests.every((r) => r.weight === 0))
    ctx.addIssue({ code: "custom", path: ["requests"], message: "every weight is 0, so no request would be sent; give at least one a weight above 0" });
  const names = load.requests.map((r) => r.name ?? `${r.method} ${r.path}`);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) ctx.addIssue({ code: "custom", path: ["requests"], message: `two requests are both named "${twice}"; give each its own name` });
}
