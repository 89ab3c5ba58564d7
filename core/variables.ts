import YAML, { isPair, type Document, type LineCounter } from "yaml";
import { BadInputError } from "./errors.js";

/** Values for `${name}` references, as given by --var and --var-file (--var wins). */
export type Variables = ReadonlyMap<string, string>;

export const NO_VARIABLES: Variables = new Map();

/** A variable's name: what may stand between `${` and `}` or `:-`. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

interface Expansion {
  value: string;
  /** The text was one reference and nothing else, so the value may keep its own type. */
  whole: boolean;
  used: string[];
  problems: string[];
}

/**
 * `${name}` and `${name:-default}` in one string; `$${` stands for a literal `${`. What cannot be
 * expanded is collected, not thrown, so one message can name every unset variable of a file.
 */
function expand(text: string, vars: Variables, where: string): Expansion {
  let value = "";
  const used: string[] = [];
  const problems: string[] = [];
  let references = 0;
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("${", i);
    if (open < 0) break;
    if (open > i && text[open - 1] === "$") {
      value += text.slice(i, open - 1) + "${";
      i = open + 2;
      continue;
    }
    value += text.slice(i, open);
    const close = text.indexOf("}", open + 2);
    if (close < 0) {
      problems.push(`${where}: "${text.slice(open)}" has no closing }; write \${name}, or $\${ for a literal \${`);
      return { value, whole: false, used, problems };
    }
    const inner = text.slice(open + 2, close);
    const reference = REFERENCE.exec(inner);
    references++;
    if (!reference) {
      problems.push(
        `${where}: "\${${inner}}" is not a variable reference; write \${name} or \${name:-default} (letters, digits, _), or $\${ for a literal \${`,
      );
    } else {
      const [, name, fallback] = reference;
      used.push(name!);
      const given = vars.get(name!);
      if (given !== undefined) value += given;
      else if (fallback !== undefined) value += fallback;
      else problems.push(`${where}: \${${name}} is not set; pass --var ${name}=… (or put it in a --var-file), or give a default: \${${name}:-…}`);
    }
    i = close + 1;
  }
  value += text.slice(i);
  const whole = references === 1 && /^\$\{[^}]*\}$/.test(text);
  return { value, whole, used, problems };
}

/**
 * A value that is one whole reference reads as YAML reads an unquoted value, so
 * `compress: "${factor}"` with factor=30 is the number 30, as Chaos Toolkit keeps a configuration
 * value's type; anything but a number or true/false stays text, and `!!str` keeps it text.
 */
function typed(text: string): string | number | boolean {
  try {
    const value: unknown = YAML.parse(text);
    return typeof value === "number" || typeof value === "boolean" ? value : text;
  } catch {
    return text;
  }
}

const STR_TAG = "tag:yaml.org,2002:str";

/**
 * Expands variables in the parsed string values of a YAML document, never in its raw text: a
 * value holding ": " or a newline then stays one value and cannot add or change keys (a --var
 * must not be able to switch env.provider). Keys are left as written. Every problem of the
 * document is reported at once, each with `file:line`. Returns the names the document uses.
 */
export function substituteYamlVariables(doc: Document, vars: Variables, file: string, lineCounter: LineCounter): string[] {
  const used = new Set<string>();
  const problems: string[] = [];
  YAML.visit(doc, {
    Scalar(_key, node, path) {
      const parent = path.at(-1);
      if ((isPair(parent) && parent.key === node) || typeof node.value !== "string" || !node.value.includes("${")) return;
      const text = node.value;
      const line = node.range ? lineCounter.linePos(node.range[0]).line : undefined;
      // A block scalar starts on its header line; a reference further down is counted from there.
      const offset = (i: number) => (node.type === "BLOCK_LITERAL" ? text.slice(0, i).split("\n").length : 0);
      const at = line === undefined ? file : `${file}:${line + offset(text.indexOf("${"))}`;
      const expansion = expand(text, vars, at);
      for (const name of expansion.used) used.add(name);
      problems.push(...expansion.problems);
      node.value = expansion.whole && node.tag !== STR_TAG ? typed(expansion.value) : expansion.value;
    },
  });
  if (problems.length) throw new BadInputError(problems.join("\n"));
  return [...used].sort();
}

/** Why YAML that failed to parse may have: a reference inside { } or [ ] must be quoted there. */
export function unquotedReferenceHint(text: string): string | undefined {
  const line = text.split("\n").findIndex((l) => /[[{][^"'\n]*\$\{/.test(l) && !/^\s*#/.test(l));
  if (line < 0) return undefined;
  return `line ${line + 1}: a \${…} inside { } or [ ] must be quoted, e.g. { rate: "\${rate}" } (a whole reference still reads as a number where it is one)`;
}
