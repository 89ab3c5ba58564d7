import type { SyntaxNode } from "@lezer/common";
import { durationLiterals } from "./promql-durations.js";
import { nodeText, parsePromql, vectorSelectors, type ParsedPromql } from "./utils/promql-tree.js";

/** What an alert expression tests, reduced to error-ratio thresholds over windows. */
export type BurnCondition =
  { kind: "threshold"; windowMs: number; threshold: number } | { kind: "and" | "or"; children: BurnCondition[] } | { kind: "unknown"; reason: string };

const COMPARISONS: Record<string, "gt" | "lt"> = { Gtr: "gt", Gte: "gt", Lss: "lt", Lte: "lt" };
const ARITH: Record<string, (a: number, b: number) => number> = { Add: (a, b) => a + b, Sub: (a, b) => a - b, Mul: (a, b) => a * b, Div: (a, b) => a / b };

function operator(node: SyntaxNode): string | undefined {
  for (let c = node.firstChild?.nextSibling; c; c = c.nextSibling) {
    if (c.name in COMPARISONS || c.name in ARITH || c.name === "And" || c.name === "Or" || c.name === "Unless") return c.name;
  }
  return undefined;
}

function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.name === "PromQL" || n.name === "ParenExpr") n = n.firstChild!;
  return n;
}

function constant(p: ParsedPromql, node: SyntaxNode): number | undefined {
  const n = unwrap(node);
  if (n.name === "NumberDurationLiteral") return Number(nodeText(p, n));
  if (n.name === "BinaryExpr") {
    const op = operator(n);
    const l = constant(p, n.firstChild!);
    const r = constant(p, n.lastChild!);
    if (op && op in ARITH && l !== undefined && r !== undefined) return ARITH[op]!(l, r);
  }
  return undefined;
}

/**
 * The window an error-ratio expression looks back over: its one range, or, through recording
 * rules it reads, theirs. Undefined when it mixes windows or has none.
 */
export function exprWindowMs(expr: string, records: ReadonlyMap<string, string>, seen = new Set<string>()): number | undefined {
  const p = parsePromql(expr);
  const windows = new Set(
    durationLiterals(p)
      .filter((d) => d.role === "range" || d.role === "subquery-range")
      .map((d) => d.ms),
  );
  for (const sel of vectorSelectors(p)) {
    const recorded = records.get(sel.metric);
    if (recorded === undefined || seen.has(sel.metric)) continue;
    const w = exprWindowMs(recorded, records, new Set([...seen, sel.metric]));
    if (w === undefined) return undefined;
    windows.add(w);
  }
  return windows.size === 1 ? [...windows][0] : undefined;
}

function analyse(p: ParsedPromql, node: SyntaxNode, records: ReadonlyMap<string, string>): BurnCondition {
  const n = unwrap(node);
  // max(... > x) without (window): the comparison is inside the aggregation.
  if (n.name === "AggregateExpr") {
    const body = n.getChild("FunctionCallBody");
    const inner = body?.firstChild;
    if (inner) return analyse(p, inner, records);
  }
  if (n.name !== "BinaryExpr") return { kind: "unknown", reason: `"${nodeText(p, n)}" is not a comparison with a threshold` };
  const op = operator(n)!;
  const left = n.firstChild!;
  const right = n.lastChild!;
  if (op === "And" || op === "Or") {
    const children = [analyse(p, left, records), analyse(p, right, records)].flatMap((c) =>
      c.kind === op.toLowerCase() ? (c as { children: BurnCondition[] }).children : [c],
    );
    return { kind: op === "And" ? "and" : "or", children };
  }
  const direction = COMPARISONS[op];
  if (!direction) return { kind: "unknown", reason: `operator in "${nodeText(p, n)}" is not and, or or a comparison` };
  const [ratioSide, threshold] = constant(p, right) !== undefined ? [left, constant(p, right)!] : [right, constant(p, left)];
  const reversed = ratioSide === right;
  if (threshold === undefined) return { kind: "unknown", reason: `no constant threshold in "${nodeText(p, n)}"` };
  if ((direction === "gt") === reversed) return { kind: "unknown", reason: `"${nodeText(p, n)}" fires when the ratio is low` };
  const windowMs = exprWindowMs(nodeText(p, ratioSide), records);
  if (windowMs === undefined) return { kind: "unknown", reason: `no single window in "${nodeText(p, ratioSide)}"` };
  return { kind: "threshold", windowMs, threshold };
}

export function burnCondition(alertExpr: string, records: ReadonlyMap<string, string>): BurnCondition {
  const p = parsePromql(alertExpr);
  return analyse(p, p.tree.topNode, records);
}

/** Time from a step to `errorRatio` until the condition holds; Infinity if it never does. */
export function conditionOnsetMs(c: BurnCondition, errorRatio: number): number | undefined {
  if (c.kind === "unknown") return undefined;
  if (c.kind === "threshold") return errorRatio > c.threshold ? (c.threshold / errorRatio) * c.windowMs : Infinity;
  const times = c.children.map((ch) => conditionOnsetMs(ch, errorRatio));
  if (times.some((t) => t === undefined)) return undefined;
  return c.kind === "and" ? Math.max(...(times as number[])) : Math.min(...(times as number[]));
}

/**
 * Time after a fault of `faultMs` at `errorRatio` ends until the condition stops holding;
 * undefined when it does not hold at the fault's end. The window keeps e·min(d, W)/W until
 * the fault starts to slide out, so a threshold T clears W·(1 − T/e) after the end.
 */
export function conditionClearMs(c: BurnCondition, errorRatio: number, faultMs: number): number | undefined {
  if (c.kind === "unknown") return undefined;
  if (c.kind === "threshold") {
    const atEnd = (errorRatio * Math.min(faultMs, c.windowMs)) / c.windowMs;
    return atEnd > c.threshold ? c.windowMs * (1 - c.threshold / errorRatio) : undefined;
  }
  const clears = c.children.map((ch) => conditionClearMs(ch, errorRatio, faultMs));
  if (c.kind === "and") return clears.every((t) => t !== undefined) ? Math.min(...(clears as number[])) : undefined;
  const holding = clears.filter((t): t is number => t !== undefined);
  return holding.length ? Math.max(...holding) : undefined;
}

/** Thresholds an error ratio (at most 1) can never exceed. */
export function impossibleThresholds(c: BurnCondition): number[] {
  if (c.kind === "threshold") return c.threshold >= 1 ? [c.threshold] : [];
  if (c.kind === "unknown") return [];
  return c.children.flatMap(impossibleThresholds);
}

export function describeCondition(c: BurnCondition, budget?: number): string {
  const fmt = (ms: number) => (ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${ms / 60_000}m`);
  if (c.kind === "threshold") return `${budget ? `${Number((c.threshold / budget).toPrecision(4))}x` : `>${c.threshold}`} over ${fmt(c.windowMs)}`;
  if (c.kind === "unknown") return `? (${c.reason})`;
  const parts = c.children.map((ch) => describeCondition(ch, budget));
  return c.kind === "and" ? parts.join(" & ") : parts.map((s) => (s.includes("&") ? `(${s})` : s)).join(" | ");
}
