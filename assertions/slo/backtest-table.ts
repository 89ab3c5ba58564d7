import { describeCondition } from "./burn-conditions.js";
import type { AlertBacktest, BacktestResult, ProfileOutcome } from "./backtest.js";
import { errorBudget } from "./slo-definition.js";
import { formatPromDuration } from "./utils/prom-duration.js";

/** "8m38s", "36h", "-" for nothing; seconds are the finest a reader needs. */
export function humanDuration(ms: number | undefined): string {
  if (ms === undefined) return "-";
  const s = Math.round(ms / 1000);
  if (s === 0) return "0s";
  const sign = s < 0 ? "-" : "";
  return sign + formatPromDuration(Math.abs(s) * 1000);
}

function pct(x: number | undefined): string {
  return x === undefined ? "-" : `${Number((x * 100).toPrecision(2))} %`;
}

function rate(r: number): string {
  return r >= 1 ? `${r}/s` : `${Number((r * 60).toPrecision(3))}/min`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function alertLabel(a: AlertBacktest): string {
  return `${a.alert.name}${a.alert.severity ? ` [${a.alert.severity}]` : ""}`;
}

function reset(o: ProfileOutcome): string {
  if (!o.fired) return "-";
  return o.resetMs === undefined ? "still firing" : humanDuration(o.resetMs);
}

/** The backtest as text: per SLO, one row per fault profile and alert, then each alert's verdict. */
export function renderBacktest(result: BacktestResult): string {
  const out: string[] = [];
  const slos = [...new Set(result.alerts.map((a) => a.slo))];
  for (const slo of slos) {
    const alerts = result.alerts.filter((a) => a.slo === slo);
    const budget = errorBudget(slo);
    out.push(
      `SLO ${slo.name}: ${Number((slo.objective * 100).toPrecision(6))} % over ${slo.period} (budget ${pct(budget)}), promtool at a ${humanDuration(result.intervalMs)} evaluation interval`,
    );
    out.push("");
    const rows = [["profile", "e", "d", "r", "fault budget", "alert", "fires", "detected", "workbook", "budget at fire", "reset", "workbook reset"]];
    alerts[0]!.outcomes.forEach((_, pi) => {
      for (const a of alerts) {
        const o = a.outcomes[pi]!;
        rows.push([
          o.profile.name,
          pct(o.profile.errorRatio),
          humanDuration(o.profile.durationMs),
          rate(o.profile.ratePerSecond),
          pct(o.faultBudget),
          alertLabel(a),
          o.fired ? (o.intermittent ? "flaps" : "yes") : "no",
          humanDuration(o.detectionMs),
          humanDuration(o.predictedDetectionMs),
          pct(o.budgetAtDetection),
          reset(o),
          humanDuration(o.predictedResetMs),
        ]);
      }
    });
    out.push(table(rows), "");
    const summary = [["alert", "condition", "for", "fired on", "insignificant fires", "slowest detection", "slowest reset", "verdict"]];
    for (const a of alerts) {
      const fired = a.outcomes.filter((o) => o.fired).length;
      const noisy = a.flags.filter((f) => f.startsWith("fires on an insignificant")).length;
      const detections = a.outcomes.flatMap((o) => (o.detectionMs === undefined ? [] : [o.detectionMs]));
      const resets = a.outcomes.filter((o) => o.fired).map((o) => o.resetMs ?? Infinity);
      const slowestReset = resets.length === 0 ? "-" : Math.max(...resets) === Infinity ? "still firing" : humanDuration(Math.max(...resets));
      summary.push([
        alertLabel(a),
        describeCondition(a.alert.condition, budget),
        humanDuration(a.alert.forMs),
        `${fired}/${a.outcomes.length}`,
        String(noisy),
        detections.length ? humanDuration(Math.max(...detections)) : "-",
        slowestReset,
        a.flags.length ? "flagged" : "ok",
      ]);
    }
    out.push(table(summary));
    for (const a of alerts) for (const f of a.flags) out.push(`  ${alertLabel(a)}: ${f}`);
    out.push("");
  }
  for (const s of result.skipped) out.push(`skipped ${s.alert} (${s.file}): ${s.reason}`);
  return out.join("\n").trimEnd() + "\n";
}
