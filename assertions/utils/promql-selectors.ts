import { parser } from "@prometheus-io/lezer-promql";
import { parseMetricCondition } from "./promql-comparison.js";

export interface LabelMatcher {
  label: string;
  op: "=" | "!=" | "=~" | "!~";
  value: string;
}

/** One vector selector of an expression: `django_x_total{job="a"}` → name and matchers. */
export interface VectorSelector {
  /** The metric name, from the identifier or a `__name__="..."` matcher; undefined for `{job="a"}`. */
  name?: string;
  matchers: LabelMatcher[];
  /** The selector as written, matchers included, without range or offset. */
  text: string;
}

const OPS = new Set(["=", "!=", "=~", "!~"]);

/** Every vector selector the expression reads, in the order written, from PromQL's own parse tree. */
export function vectorSelectors(expr: string): VectorSelector[] {
  const out: VectorSelector[] = [];
  const tree = parser.parse(expr);
  tree.iterate({
    enter(node) {
      if (node.name !== "VectorSelector") return;
      const selector: VectorSelector = { matchers: [], text: expr.slice(node.from, node.to) };
      const n = node.node;
      const ident = n.getChild("Identifier");
      if (ident) selector.name = expr.slice(ident.from, ident.to);
      const list = n.getChild("LabelMatchers");
      for (let m = list?.firstChild; m; m = m.nextSibling) {
        const label = m.getChild("LabelName") ?? m.getChild("QuotedLabelName");
        const op = m.getChild("MatchOp");
        const value = m.getChild("StringLiteral");
        if (!label || !op || !value) continue;
        const opText = expr.slice(op.from, op.to);
        if (!OPS.has(opText)) continue;
        const matcher: LabelMatcher = {
          label: unquote(expr.slice(label.from, label.to)),
          op: opText as LabelMatcher["op"],
          value: unquote(expr.slice(value.from, value.to)),
        };
        if (matcher.label === "__name__" && matcher.op === "=") selector.name = matcher.value;
        else selector.matchers.push(matcher);
      }
      out.push(selector);
      return false;
    },
  });
  return out;
}

/** The distinct metric names an expression reads. */
export function metricNames(expr: string): string[] {
  return [...new Set(vectorSelectors(expr).flatMap((s) => (s.name ? [s.name] : [])))];
}

/**
 * The expression without a trailing comparison with a number (`a > 0.01` → `a`), so the values
 * it compared can be shown; the expression itself when it has none.
 */
export function withoutComparison(expr: string): { lhs: string; op?: string; value?: number } {
  try {
    const c = parseMetricCondition(expr);
    return { lhs: c.query, ...(c.op ? { op: c.op } : {}), ...(c.value !== undefined ? { value: c.value } : {}) };
  } catch {
    return { lhs: expr.trim() };
  }
}

/** `{job="a", status=~"5.."}` as PromQL. */
export function formatMatchers(matchers: LabelMatcher[]): string {
  return matchers.length ? `{${matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(", ")}}` : "";
}

function unquote(text: string): string {
  if (/^["'`]/.test(text)) {
    try {
      return text.startsWith('"') ? (JSON.parse(text) as string) : text.slice(1, -1);
    } catch {
      return text.slice(1, -1);
    }
  }
  return text;
}
