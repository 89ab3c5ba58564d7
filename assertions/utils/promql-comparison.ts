import type { SyntaxNode } from "@lezer/common";
import { parser } from "@prometheus-io/lezer-promql";
import type { Comparator } from "./comparator.js";

export interface MetricCondition {
  query: string;
  op?: Comparator;
  value?: number;
}

const COMPARISON_NODES: Record<string, Comparator> = { Gtr: ">", Gte: ">=", Lss: "<", Lte: "<=", EqlSingle: "==", Eql: "==", Neq: "!=" };

/**
 * Splits `job:checkout_api_error_ratio:rate1m > 0.01` into the query and a trailing comparison
 * with a number. The split follows PromQL's own parse tree, so `a > 0.5 and b > 1` is refused
 * (its top-level operator is `and`) instead of being cut into a different expression.
 */
export function parseMetricCondition(text: string): MetricCondition {
  const source = text.trim();
  const tree = parser.parse(source);
  let errorAt: number | undefined;
  tree.iterate({
    enter(node) {
      if (node.type.isError && errorAt === undefined) errorAt = node.from;
    },
  });
  if (errorAt !== undefined) throw new Error(`PromQL syntax error at offset ${errorAt} near "${source.slice(Math.max(0, errorAt - 15), errorAt + 15)}"`);
  const top = tree.topNode.firstChild;
  if (top?.name !== "BinaryExpr")
    throw new Error(`expected PromQL ending in a comparison with a number, e.g. 'job:checkout_api_error_ratio:rate1m > 0.01', got '${source}'`);
  const children: SyntaxNode[] = [];
  for (let c = top.firstChild; c; c = c.nextSibling) children.push(c);
  const opNode = children.find((c) => c.name in COMPARISON_NODES);
  const lhs = children[0];
  const rhs = children[children.length - 1];
  if (!opNode || !lhs || !rhs || lhs === rhs) {
    const opText = children.length > 1 ? source.slice(children[1]!.from, children[1]!.to) : "?";
    throw new Error(`the top-level operator of '${source}' is '${opText}', not a comparison (>, >=, <, <=, ==, !=) with a number`);
  }
  if (children.some((c) => c.name === "BoolModifier"))
    throw new Error(`'${source}': drop "bool": the comparison is evaluated by the harness, which needs the values`);
  const value = numberLiteral(source, rhs);
  if (value === undefined)
    throw new Error(`'${source}': the right-hand side of '${COMPARISON_NODES[opNode.name]}' must be a number, got '${source.slice(rhs.from, rhs.to)}'`);
  return { query: source.slice(lhs.from, lhs.to).trim(), op: COMPARISON_NODES[opNode.name]!, value };
}

function numberLiteral(source: string, node: SyntaxNode): number | undefined {
  let text = source.slice(node.from, node.to).replace(/\s+/g, "");
  if (node.name === "UnaryExpr" || node.name === "ParenExpr") text = text.replace(/^\((.*)\)$/, "$1");
  if (!/^[+-]?(\d|\.\d|0x|inf|nan)/i.test(text)) return undefined;
  const sign = text.startsWith("-") ? -1 : 1;
  const body = text.replace(/^[+-]/, "").toLowerCase();
  if (body === "inf") return sign * Infinity;
  if (body === "nan") return NaN;
  const n = Number(body);
  return Number.isNaN(n) ? undefined : sign * n;
}
