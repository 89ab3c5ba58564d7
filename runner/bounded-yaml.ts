import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import YAML, { LineCounter, isMap, isScalar, isSeq, type Node } from "yaml";
import { BadInputError } from "../core/errors.js";
import { substituteYamlVariables, unquotedReferenceHint, type Variables } from "../core/variables.js";

/** An experiment is a page or two of YAML; a file this big is a mistake or an attack, refused before it is parsed. */
const MAX_FILE_BYTES = 256 * 1024;
/** Flow collections ([ or {) open at once; an experiment needs a handful, a parser's recursion thousands. */
const MAX_FLOW_DEPTH = 64;
/** Enough for a file that reuses anchors for shared blocks; far below what an alias bomb needs. */
const MAX_ALIASES = 100;

/**
 * The file as YAML, within bounds that keep a hostile file from hanging or exhausting the harness:
 * its size, the aliases it expands, its nesting; duplicate keys are found in one pass (the yaml
 * library's own check is quadratic).
 */
export function readExperimentYaml(
  file: string,
  vars: Variables,
): { doc: YAML.Document.Parsed; counter: LineCounter; raw: unknown; sha256: string; variables: string[] } {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES)
      throw new BadInputError(
        `${file}: ${(size / 1024).toFixed(0)} KiB, more than the ${MAX_FILE_BYTES / 1024} KiB an experiment file may be (they take a few); is this the right file?`,
      );
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof BadInputError) throw err;
    throw new BadInputError(`${file}: cannot read the experiment file: ${(err as Error).message}`);
  }
  // Checked before parsing: a deep file costs the parser far more than its size suggests.
  if (flowDepth(text) > MAX_FLOW_DEPTH) throw new BadInputError(`${file}: nested too deeply (more than ${MAX_FLOW_DEPTH} levels of [ or {)`);
  const counter = new LineCounter();
  try {
    const doc = YAML.parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: false });
    if (doc.errors.length > 0) {
      const hint = unquotedReferenceHint(text);
      throw new BadInputError(`${file}: not valid YAML: ${doc.errors.map((e) => e.message).join("; ")}${hint ? `\n${file}: ${hint}` : ""}`);
    }
    const duplicate = firstDuplicateKey(doc.contents);
    if (duplicate)
      throw new BadInputError(`${file}:${counter.linePos(duplicate.at).line}: the key "${duplicate.key}" appears twice in the same block; keep one`);
    const variables = substituteYamlVariables(doc, vars, path.basename(file), counter);
    const raw = doc.toJS({ maxAliasCount: MAX_ALIASES }) as unknown;
    // The file as written, not as substituted: the same bytes hash the same whatever --var held.
    return { doc, counter, raw, sha256: createHash("sha256").update(text).digest("hex"), variables };
  } catch (err) {
    if (err instanceof BadInputError) throw err;
    // The yaml library throws ReferenceError for an alias that expands too far or names no anchor, RangeError for nesting too deep.
    const why = err instanceof RangeError ? "nested too deeply" : (err as Error).message;
    throw new BadInputError(`${file}: not a usable experiment file: ${why}`);
  }
}

/** The most [ or { open at once, counting brackets inside quotes too: a real file is nowhere near the limit either way. */
function flowDepth(text: string): number {
  let depth = 0;
  let most = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) most = Math.max(most, ++depth);
    else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return most;
}

/** The first key that a block (mapping) holds twice, found with one set per block. */
function firstDuplicateKey(root: unknown): { key: string; at: number } | undefined {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : JSON.stringify(pair.key);
        if (seen.has(key)) return { key, at: (pair.key as Node | null)?.range?.[0] ?? 0 };
        seen.add(key);
        stack.push(pair.value);
      }
    } else if (isSeq(node)) stack.push(...node.items);
  }
  return undefined;
}

export function lineOf(doc: YAML.Document.Parsed, counter: LineCounter, issuePath: readonly PropertyKey[]): number | undefined {
  let node: Node | null | undefined = doc.contents as Node | null;
  let found: Node | null | undefined = node;
  for (const key of issuePath) {
    if (isMap(node)) node = node.get(key as string, true) as Node | undefined;
    else if (isSeq(node)) node = node.get(key as number, true) as Node | undefined;
    else break;
    if (node) found = node;
  }
  return found?.range ? counter.linePos(found.range[0]).line : undefined;
}
