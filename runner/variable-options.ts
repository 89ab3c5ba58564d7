import { readFileSync } from "node:fs";
import type { Command } from "commander";
import YAML, { LineCounter, isMap, isScalar } from "yaml";
import { BadInputError } from "../core/errors.js";
import { isSecretKey, redactValue } from "../core/redact.js";
import { similarNames } from "../core/similar-names.js";
import { VARIABLE_NAME, type Variables } from "../core/variables.js";
import { repeatable } from "./operator-config.js";

export interface VariableFlags {
  var?: string[];
  varFile?: string;
}

/** --var and --var-file, for every command that reads experiment files. */
export function withVariableOptions(command: Command): Command {
  return command
    .option("--var <name=value>", "a value for ${name} in the experiment files (repeatable; wins over --var-file)", repeatable)
    .option("--var-file <file>", "values for ${name} references: a YAML file of name: value lines");
}

function checkName(name: string, where: string): void {
  if (!VARIABLE_NAME.test(name))
    throw new BadInputError(`${where}: "${name}" is not a variable name; use letters, digits and _ (not starting with a digit), e.g. prometheus_url`);
}

/**
 * A var file is YAML, a mapping of names to scalars: the parser the harness already trusts, with
 * quoting and comments people know, and no second format to document (.env quoting varies by tool).
 */
function readVarFile(file: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new BadInputError(`--var-file ${file}: cannot read it: ${(err as Error).message}`);
  }
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter });
  if (doc.errors.length) throw new BadInputError(`${file}: not valid YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
  if (doc.contents === null) return new Map();
  if (!isMap(doc.contents)) throw new BadInputError(`${file}: expected name: value lines, e.g. prometheus_url: http://127.0.0.1:9090`);
  const vars = new Map<string, string>();
  for (const pair of doc.contents.items) {
    const line = isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : undefined;
    const where = `${file}${line ? `:${line}` : ""}`;
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    checkName(name, where);
    if (!isScalar(pair.value) || pair.value.value === null || typeof pair.value.value === "object")
      throw new BadInputError(`${where}: ${name}: a list, mapping or empty value cannot go into text; give a string, a number or true/false`);
    vars.set(name, String(pair.value.value));
  }
  return vars;
}

function parseVar(flag: string): [string, string] {
  const eq = flag.indexOf("=");
  if (eq <= 0) throw new BadInputError(`--var: expected name=value like rate=20/s, got "${flag}"`);
  const name = flag.slice(0, eq);
  checkName(name, "--var");
  return [name, flag.slice(eq + 1)];
}

/**
 * The variables the flags give. Environment variables are not read: a run's inputs are what its
 * command line says, and a secret never reaches a report because the shell happened to hold it.
 * Values under a secret's name (token, password, ...) are redacted from everything printed or written.
 */
export function variablesFrom(flags: VariableFlags): Variables {
  const vars = flags.varFile ? readVarFile(flags.varFile) : new Map<string, string>();
  for (const [name, value] of (flags.var ?? []).map(parseVar)) vars.set(name, value);
  for (const [name, value] of vars) if (isSecretKey(name)) redactValue(value);
  return vars;
}

/** A --var that no experiment reads is most likely misspelt, and its default would silently stand in. */
export function checkVariablesUsed(flags: VariableFlags, used: Iterable<string>): void {
  const read = new Set(used);
  const unused = (flags.var ?? []).map((v) => v.slice(0, v.indexOf("="))).filter((name) => !read.has(name));
  if (unused.length === 0) return;
  throw new BadInputError(
    unused
      .map((name) => {
        const near = similarNames(name, read);
        return `--var ${name}: no experiment file reads \${${name}}${near.length ? `; did you mean ${near[0]}?` : "; drop it or check the name"}`;
      })
      .join("\n"),
  );
}
