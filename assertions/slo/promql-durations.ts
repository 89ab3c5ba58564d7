import type { SyntaxNode } from "@lezer/common";
import { findNodes, nodeText, parsePromql, type ParsedPromql } from "./utils/promql-tree.js";
import { formatPromDuration, parsePromDuration } from "./utils/prom-duration.js";

export type DurationRole = "range" | "subquery-range" | "subquery-step" | "offset";

export interface DurationLiteral {
  role: DurationRole;
  ms: number;
  from: number;
  to: number;
}

function literalOf(p: ParsedPromql, durationExpr: SyntaxNode, where: string): SyntaxNode {
  const literal = durationExpr.firstChild;
  // Duration arithmetic ("[5m*2]") is newer than Prometheus 2.42, which the stack runs.
  if (!literal || literal.name !== "NumberDurationLiteralInDurationContext" || literal.nextSibling) {
    throw new Error(
      `${where} "${nodeText(p, durationExpr)}" at offset ${durationExpr.from} is not a plain duration like "5m"; Prometheus 2.42 has no duration arithmetic`,
    );
  }
  return literal;
}

/** Every duration literal of the expression that measures time: ranges, subquery ranges and steps, offsets. */
export function durationLiterals(p: ParsedPromql): DurationLiteral[] {
  const out: DurationLiteral[] = [];
  const add = (role: DurationRole, node: SyntaxNode) => {
    const literal = literalOf(p, node, role);
    out.push({ role, ms: parsePromDuration(nodeText(p, literal)), from: literal.from, to: literal.to });
  };
  for (const m of findNodes(p, "MatrixSelector")) add("range", m.getChild("DurationExpr")!);
  for (const s of findNodes(p, "SubqueryExpr")) {
    const [range, step] = s.getChildren("DurationExpr");
    add("subquery-range", range!);
    if (step) add("subquery-step", step);
  }
  for (const o of findNodes(p, "OffsetExpr")) {
    let node = o.getChild("OffsetDurationExpr")!;
    // "offset -5m" nests the literal one level down, behind the unary minus.
    if (node.getChild("UnaryOp")) node = node.getChild("OffsetDurationExpr")!;
    add("offset", node);
  }
  return out.sort((a, b) => a.from - b.from);
}

/** Replaces text spans from the end backwards so earlier positions stay valid. */
export function spliceAll(text: string, edits: { from: number; to: number; replacement: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.replacement + out.slice(e.to);
  return out;
}

export function scaleDurationMs(ms: number, factor: number, what: string): number {
  const scaled = Math.round(ms / factor);
  if (scaled < 1) throw new Error(`${what}: ${formatPromDuration(ms)} divided by ${factor} is below 1ms; use a smaller factor`);
  return scaled;
}

/**
 * Divides every range, subquery range and step, and offset in the expression by the factor,
 * rewriting only the literals' own text so the rest of the expression is untouched.
 */
/**
 * Divides every duration of an expression by the factor. With minRangeMs, a range or subquery
 * range is never made shorter than that (nor longer than it was): rate() over fewer than two
 * scrapes returns nothing, so a rule compressed below it would go silent rather than run faster.
 */
export function compressExpr(expr: string, factor: number, minRangeMs = 0): string {
  const p = parsePromql(expr);
  const edits = durationLiterals(p).map((d) => {
    let ms = scaleDurationMs(d.ms, factor, `${d.role} "${expr.slice(d.from, d.to)}"`);
    if ((d.role === "range" || d.role === "subquery-range") && ms < minRangeMs) ms = Math.min(d.ms, minRangeMs);
    return { from: d.from, to: d.to, replacement: formatPromDuration(ms) };
  });
  return spliceAll(expr, edits);
}

/** Divides the number literals of an expression such as the SLO period's `vector(30)`. */
export function scaleNumberLiterals(expr: string, factor: number): string {
  const p = parsePromql(expr);
  const edits = findNodes(p, "NumberDurationLiteral").map((n) => ({
    from: n.from,
    to: n.to,
    replacement: String(Number(nodeText(p, n)) / factor),
  }));
  return spliceAll(expr, edits);
}
