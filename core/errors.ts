import type { z } from "zod";
import { isSecretKey } from "./redact.js";
import { fieldsAt } from "./schema-keys.js";
import { similarNames } from "./similar-names.js";
/**
 * Exit codes of every command: CI branches on them. Interrupted runs exit 128 + the signal's
 * number, as shells report them (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
 */
export const EXIT = { ok: 0, failed: 1, badInput: 2, inconclusive: 3, harnessError: 4, interrupted: 130 } as const;

/** One line per code, for --help and the README. */
export const EXIT_CODES_HELP = `Exit codes:
  0    pass: every check passed
  1    fail: a check failed (a signal was lost inside the stack under test)
  2    bad input: a file, field or option is wrong (the message names it)
  3    inconclusive: the harness could not judge (its own queries failed, a fault did not take effect)
  4    harness error: the harness or its environment broke (a stack that would not start, a bug)
  130  interrupted by SIGINT (143 SIGTERM, 129 SIGHUP or stderr closed): faults rolled back, a partial report written`;

/** Input the user can fix: a bad flag or file. Exits 2 with the message alone. */
export class BadInputError extends Error {}

export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new BadInputError(`${name}: expected a positive whole number like 40, got "${value}"`);
    return n;
  };
}

/** One issue of a schema check, as zod reports it. */
export interface InputIssue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
  /** invalid_type: the type that was expected, e.g. "string". */
  expected?: string;
  /** invalid_value: the values that were allowed. */
  values?: readonly unknown[];
  /** invalid_union: each option's own issues. */
  errors?: readonly (readonly InputIssue[])[];
}

export interface IssueContext {
  /** File name shown first, e.g. "pool-exhaustion.yaml". */
  file?: string;
  /** Where the checked value sits in the file, e.g. "faults[pool-exhausted].with". */
  prefix?: string;
  /** The value that was checked, to show what was found. */
  value?: unknown;
  /** The file's line of a path (relative to the checked value), when known. */
  lineOf?: (path: readonly PropertyKey[]) => number | undefined;
  /** An example of what is expected at a field path, when known. */
  exampleFor?: (fieldPath: string) => string | undefined;
  /** Fields removed from the format, with what replaced them. */
  removed?: Record<string, string>;
  /** Said of an unknown field, after its name: e.g. "the kind provider takes clusterName, keepCluster and nodeImage". */
  unknownHint?: string | ((key: string) => string);
  /** The schema the value was checked against: an unknown field is answered with the field it most likely meant. */
  schema?: z.ZodType;
}

/** faults[1].duration, list items named by their id when they have one: faults[pool-exhausted].duration */
export function describePath(value: unknown, path: readonly PropertyKey[], prefix = ""): string {
  let node: unknown = value;
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") {
      const item = (node as unknown[] | undefined)?.[key] as { id?: unknown } | undefined;
      out += typeof item?.id === "string" ? `[${item.id}]` : `[${key}]`;
    } else {
      out += out ? `.${String(key)}` : String(key);
    }
    node = node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return out || "(top level)";
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined), value);
}

const MAX_UNKNOWN_SHOWN = 5;

/**
 * The one wording of every input error: file:line, the field's path, what was wrong, what was
 * found, and an example of what is expected. `pool-exhaustion.yaml:8: faults[pool-exhausted].duration:
 * expected a duration like "90s", got 90; for example "90s"`.
 */
export function formatIssues(issues: readonly InputIssue[], ctx: IssueContext = {}): string {
  return issues
    .flatMap((issue) => unionBranchMeant(issue, ctx.value))
    .map((issue) => {
      const where = describePath(ctx.value, issue.path, ctx.prefix);
      const line = ctx.lineOf?.(issue.path);
      const head = `${ctx.file ? `${ctx.file}${line ? `:${line}` : ""}: ` : ""}${where}`;
      if (issue.code === "unrecognized_keys" && issue.keys) return `${head}: ${unknownFields(issue.keys, issue.path, ctx)}`;
      const got = valueAt(ctx.value, issue.path);
      // A schema's own message says more than any rewording; zod's defaults all begin "Invalid".
      const zodWords = issue.message.startsWith("Invalid");
      if (zodWords && issue.code === "invalid_value" && typeof got === "string" && issue.values?.every((v) => typeof v === "string")) {
        const allowed = issue.values as string[];
        const near = similarNames(got, allowed, 1)[0];
        return `${head}: expected one of ${allowed.join(", ")}, got ${JSON.stringify(got)}${near ? `; did you mean "${near}"?` : ""}`;
      }
      // zod says "Invalid input: expected string, received number"; the value found is said once, below.
      const message = zodWords && issue.code === "invalid_type" && issue.expected ? `expected ${expectedType(issue.expected)}` : issue.message;
      // A whole object adds noise, not information: the path already says which one.
      // A secret's value is never echoed, even a wrong one: it may be the real credential pasted in.
      const secret = isSecretKey(String(issue.path.at(-1) ?? ""));
      const gotText = secret || (got !== null && typeof got === "object") ? "" : `, got ${got === undefined ? "nothing" : JSON.stringify(got)}`;
      const example = ctx.exampleFor?.(where);
      return `${head}: ${message}${gotText}${example ? `; for example ${example}` : ""}`;
    })
    .join("\n");
}

/** zod's type names in the file's terms: YAML has lists and key: value fields, not arrays and objects. */
function expectedType(type: string): string {
  if (type === "object") return "fields (key: value lines)";
  const noun = type === "array" ? "list" : type;
  return `${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun}`;
}

function unknownFields(keys: readonly string[], at: readonly PropertyKey[], ctx: IssueContext): string {
  const removed = keys.filter((k) => ctx.removed?.[k]);
  if (removed.length) return removed.map((k) => ctx.removed![k]).join("; ");
  // A file of thousands of unknown keys gets a readable error, not one the size of the file.
  const shown = keys.slice(0, MAX_UNKNOWN_SHOWN);
  const more = keys.length - shown.length;
  const names = `${shown.map((k) => `"${k}"`).join(", ")}${more ? ` and ${more} more` : ""}`;
  const fields = ctx.schema ? fieldsAt(ctx.schema, at) : [];
  const meant = shown.flatMap((k) => {
    const near = similarNames(k, fields, 1)[0];
    return near ? [shown.length > 1 ? `"${near}" for "${k}"` : `"${near}"`] : [];
  });
  const hint = ctx.unknownHint;
  const said = meant.length
    ? `did you mean ${meant.join(", ")}?`
    : typeof hint === "function"
      ? shown.map((k) => hint(k)).join("; ")
      : (hint ?? (fields.length ? `the fields here are ${fields.join(", ")}` : "check the spelling"));
  return `unknown field${keys.length > 1 ? "s" : ""} ${names}; ${said}`;
}

/**
 * zod answers a value that fits none of a union's options with a bare "Invalid input". When the
 * value's type rules out all options but one, that option's own issues say what is wrong; a name
 * that is not in the list of names a union also takes is reported as that list.
 */
function unionBranchMeant(issue: InputIssue, value: unknown): InputIssue[] {
  if (issue.code !== "invalid_union" || !issue.errors?.length) return [issue];
  const got = valueAt(value, issue.path);
  const wrongType = (i: InputIssue) => i.path.length === 0 && (i.code === "invalid_type" || (i.code === "invalid_value" && typeof got !== "string"));
  const fitting = issue.errors.filter((branch) => !branch.some(wrongType));
  if (fitting.length === 1) return fitting[0]!.flatMap((i) => unionBranchMeant({ ...i, path: [...issue.path, ...i.path] }, value));
  const names = issue.errors.flat().find((i) => i.path.length === 0 && i.code === "invalid_value");
  if (names && typeof got === "string") return [{ ...names, path: issue.path }];
  return [issue];
}
