import { formatDateTime, formatPercent, formatSeconds } from "./utils/format.js";
import type { BudgetComparison, ExpectationComparison, ReportComparison } from "./compare-reports.js";

const MARK = { regressed: "REGRESSED", improved: "improved", unchanged: "ok", new: "new", missing: "MISSING" } as const;

/** The comparison as a terminal table, regressions first so a CI log shows them without scrolling. */
export function formatComparison(c: ReportComparison): string {
  const t = c.thresholds;
  const rank = (x: { change: keyof typeof MARK }) => ["regressed", "missing", "improved", "new", "unchanged"].indexOf(x.change);
  const width = Math.max(20, ...c.expectations.map((e) => e.id.length), ...c.budgets.map((b) => b.slo.length + 7));
  const lines = [
    `${c.experiment}: baseline ${formatDateTime(c.baseline.startedAt)} (${c.baseline.verdict}) → run ${formatDateTime(c.run.startedAt)} (${c.run.verdict})`,
    `regression = slower by more than ${formatSeconds(t.latencySeconds)} and ×${t.latencyRatio}; budget up by more than ${formatPercent(t.budget)} of the window and ×${t.budgetRatio}`,
    ...(c.baseline.setup !== c.run.setup
      ? [`note: the baseline ran on ${c.baseline.setup}, the run on ${c.run.setup}: their timings are not like for like, so a change may be the setup's`]
      : []),
    "",
    "expectations (verdict, detection latency)",
    ...[...c.expectations].sort((a, b) => rank(a) - rank(b)).map((e) => `  ${MARK[e.change].padEnd(10)} ${e.id.padEnd(width)} ${expectationDelta(e)}`),
    "",
    "error budget burned",
    ...(c.budgets.length
      ? [...c.budgets].sort((a, b) => rank(a) - rank(b)).map((b) => `  ${MARK[b.change].padEnd(10)} ${`${b.slo} ${b.side}`.padEnd(width)} ${budgetDelta(b)}`)
      : ["  (no SLOs in either report)"]),
    "",
    c.regressions === 0 ? "no regressions" : `${c.regressions} regression${c.regressions === 1 ? "" : "s"}`,
  ];
  return lines.join("\n");
}

function expectationDelta(e: ExpectationComparison): string {
  const side = (s: ExpectationComparison["baseline"]) =>
    s ? `${s.verdict}${s.latencySeconds !== undefined ? ` in ${formatSeconds(s.latencySeconds)}` : ""}` : "absent";
  const text = `${side(e.baseline)} → ${side(e.run)}`;
  const b = e.baseline?.latencySeconds;
  const r = e.run?.latencySeconds;
  if (b === undefined || r === undefined || b === r) return text;
  const sign = r > b ? "+" : "−";
  return `${text} (${sign}${formatSeconds(Math.abs(r - b))}${b > 0 ? `, ×${(r / b).toFixed(2)}` : ""})`;
}

function budgetDelta(b: BudgetComparison): string {
  return `${formatPercent(b.baseline)} → ${formatPercent(b.run)}`;
}
