import type { PrometheusClient } from "../clients/index.js";
import { metricNames } from "../utils/promql-selectors.js";
import { humanMs } from "../utils/times.js";
import { offset, type PathContext, type PathLiveness } from "./diagnosis.js";
import { diagnoseMetric } from "./metric-path.js";
import { presenceOf, type Presence } from "./series-presence.js";

/** Series Prometheus writes for alerting rules only while an alert is pending or firing. */
const ALERT_SERIES = new Set(["ALERTS", "ALERTS_FOR_STATE"]);

/**
 * Was there anything to see? A stays-absent on `expr` means something only if the series it
 * reads existed throughout the window: first the expression itself, then, since a selector
 * such as `{status=~"5.."}` is rightly empty on a healthy service, each metric name it reads
 * without its label matchers. `ALERTS` exists only while something fires, so for it the
 * alerting rules must have been loaded and evaluating without errors.
 */
export async function metricPathAlive(prometheus: PrometheusClient, expr: string, ctx: PathContext, maxGapMs: number): Promise<PathLiveness> {
  const own = await presenceOf(prometheus, `count(${expr})`, ctx.from, ctx.to);
  if (!coverageGap(own, ctx, maxGapMs)) return { alive: true, detail: `${expr} returned series throughout the window${lead(own, ctx)}` };
  const notes: string[] = [];
  for (const name of metricNames(expr)) {
    if (ALERT_SERIES.has(name)) {
      const rules = await alertingRulesAlive(prometheus, ctx);
      if (!rules.alive) return rules;
      notes.push(rules.detail);
      continue;
    }
    const presence = await presenceOf(prometheus, `count({__name__=${JSON.stringify(name)}})`, ctx.from, ctx.to);
    const gap = coverageGap(presence, ctx, maxGapMs);
    if (gap) {
      const diagnosis = await diagnoseMetric(prometheus, { query: name }, ctx);
      return { alive: false, detail: `${gap.replace("{name}", name)}: a rise could not have been seen either; ${diagnosis.summary}` };
    }
    notes.push(`${name} was fed throughout${lead(presence, ctx)}`);
  }
  if (notes.length === 0) return { alive: false, detail: `${expr} reads no metric, and returned no series during the window` };
  return { alive: true, detail: notes.join("; ") };
}

/** Why the series do not cover the window, or undefined when they do. A late start within the window's first half is the service waking up, not a blind spot. */
function coverageGap(p: Presence, ctx: PathContext, maxGapMs: number): string | undefined {
  if (!p.firstAt) return `no series of {name} existed between ${offset(ctx.from, ctx.origin)} and ${offset(ctx.to, ctx.origin)}`;
  const windowMs = ctx.to.getTime() - ctx.from.getTime();
  if (p.firstAt.getTime() - ctx.from.getTime() > windowMs / 2)
    return `no series of {name} until ${offset(p.firstAt, ctx.origin)}, past the first half of the window`;
  const longest = p.gaps[0];
  if (longest && longest.to.getTime() - longest.from.getTime() > Math.max(maxGapMs, 2 * p.stepS * 1000)) {
    return `no series of {name} from ${offset(longest.from, ctx.origin)} to ${offset(longest.to, ctx.origin)} (${humanMs(longest.to.getTime() - longest.from.getTime())})`;
  }
  return undefined;
}

function lead(p: Presence, ctx: PathContext): string {
  const late = p.firstAt ? p.firstAt.getTime() - ctx.from.getTime() : 0;
  return late > p.stepS * 1000 ? ` from ${offset(p.firstAt!, ctx.origin)}` : "";
}

async function alertingRulesAlive(prometheus: PrometheusClient, ctx: PathContext): Promise<PathLiveness> {
  const groups = (await prometheus.ruleGroups()).filter((g) => g.rules.some((r) => r.type === "alerting"));
  const alerting = groups.flatMap((g) => g.rules.filter((r) => r.type === "alerting"));
  if (alerting.length === 0) return { alive: false, detail: "no alerting rule is loaded in Prometheus: no alert could have fired" };
  const broken = alerting.filter((r) => r.health === "err");
  if (broken.length)
    return {
      alive: false,
      detail: `alerting rule ${broken.map((r) => `${r.name} (${r.lastError ?? "error"})`).join(", ")} fails to evaluate: it could not have fired`,
    };
  const stale = groups.filter((g) => !g.lastEvaluation || new Date(g.lastEvaluation).getTime() < ctx.to.getTime() - Math.max(3 * g.interval * 1000, 15_000));
  if (stale.length)
    return {
      alive: false,
      detail: `rule group ${stale.map((g) => g.name).join(", ")} was not evaluated near the end of the window: its alerts could not have fired`,
    };
  return { alive: true, detail: `${alerting.length} alerting rules loaded and evaluating without errors` };
}
