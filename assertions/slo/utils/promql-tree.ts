import type { SyntaxNode, Tree } from "@lezer/common";
import { parser } from "@prometheus-io/lezer-promql";

/** A parsed PromQL expression: the text and its lezer syntax tree. */
export interface ParsedPromql {
  text: string;
  tree: Tree;
}

/** Parses PromQL and refuses input the grammar had to repair, naming the position. */
export function parsePromql(text: string): ParsedPromql {
  const tree = parser.parse(text);
  let errorAt: number | undefined;
  tree.iterate({
    enter(node) {
      if (node.type.isError && errorAt === undefined) errorAt = node.from;
    },
  });
  if (errorAt !== undefined) {
    const near = text.slice(Math.max(0, errorAt - 20), errorAt + 20).replace(/\s+/g, " ");
    throw new Error(`PromQL syntax error at offset ${errorAt} near "${near}"`);
  }
  return { text, tree };
}

export function nodeText(p: ParsedPromql, node: SyntaxNode): string {
  return p.text.slice(node.from, node.to);
}

/** Every node of a type, in source order. */
export function findNodes(p: ParsedPromql, name: string, within?: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const cursor = (within ?? p.tree.topNode).cursor();
  const stopAt = within?.to ?? p.text.length;
  do {
    if (cursor.from > stopAt) break;
    if (cursor.name === name && (!within || (cursor.from >= within.from && cursor.to <= within.to))) found.push(cursor.node);
  } while (cursor.next());
  return found;
}

export interface LabelMatcher {
  name: string;
  op: "=" | "!=" | "=~" | "!~";
  value: string;
}

export interface VectorSelectorInfo {
  /** Empty when the selector names the metric only through {__name__=...}. */
  metric: string;
  matchers: LabelMatcher[];
  from: number;
}

/** The metric name and label matchers of every vector selector in the expression. */
export function vectorSelectors(p: ParsedPromql): VectorSelectorInfo[] {
  return findNodes(p, "VectorSelector").map((sel) => {
    const ident = sel.getChild("Identifier");
    const matchers: LabelMatcher[] = findNodes(p, "UnquotedLabelMatcher", sel).map((m) => {
      const name = nodeText(p, m.getChild("LabelName")!);
      const op = nodeText(p, m.getChild("MatchOp")!) as LabelMatcher["op"];
      return { name, op, value: unquote(nodeText(p, m.getChild("StringLiteral")!)) };
    });
    const nameMatcher = matchers.find((m) => m.name === "__name__" && m.op === "=");
    return { metric: ident ? nodeText(p, ident) : (nameMatcher?.value ?? ""), matchers: matchers.filter((m) => m.name !== "__name__"), from: sel.from };
  });
}

/** PromQL string literals: double, single or back quotes; the first two take Go escapes. */
export function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === "`") return body;
  return body.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t", r: "\r" })[c] ?? c);
}
