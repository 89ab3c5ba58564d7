import { withoutComparison } from "../utils/promql-selectors.js";
import type { AlertBackends, AlertTarget } from "./alert-backends.js";
import { describeRoute, matchRoutes } from "./alertmanager-routes.js";
import { offset, type PathContext, type PathLiveness } from "./diagnosis.js";
import { metricPathAlive } from "./metric-liveness.js";

/**
 * Could the alert have fired (and, for a page, reached someone) during the window? Its rule must
 * be loaded and evaluating without errors, the series its expression compares must have existed,
 * and for `notified` its route must end at a receiver that tells someone.
 */
export async function alertPathAlive(backends: AlertBackends, alert: AlertTarget, ctx: PathContext): Promise<PathLiveness> {
  const groups = await backends.prometheus.ruleGroups();
  const found = groups.flatMap((g) => g.rules.filter((r) => r.type === "alerting" && r.name === alert.name).map((r) => ({ rule: r, group: g })));
  if (found.length === 0) return { alive: false, detail: `no alerting rule named ${alert.name} is loaded, so it could not have fired either` };
  const { rule, group } = found[0]!;
  if (rule.health === "err")
    return { alive: false, detail: `rule ${alert.name} fails to evaluate (${rule.lastError ?? "error"}), so it could not have fired either` };
  const evaluated = group.lastEvaluation ? new Date(group.lastEvaluation) : undefined;
  if (!evaluated || evaluated.getTime() < ctx.to.getTime() - Math.max(3 * group.interval * 1000, 15_000)) {
    return {
      alive: false,
      detail: `rule group ${group.name} was last evaluated ${evaluated ? offset(evaluated, ctx.origin) : "never"}, not during the window`,
    };
  }
  const inputs = await metricPathAlive(backends.prometheus, withoutComparison(rule.query).lhs, ctx, ctx.maxGapMs);
  if (!inputs.alive) return { alive: false, detail: `rule ${alert.name} evaluates, but ${inputs.detail}` };
  const details = [`rule ${alert.name} loaded and evaluating every ${group.interval}s; ${inputs.detail}`];
  if (alert.state === "notified") {
    const labels = { alertname: alert.name, ...Object.fromEntries(Object.entries(rule.labels ?? {}).filter(([, v]) => !v.includes("{{"))), ...alert.labels };
    const routes = matchRoutes(await backends.alertmanager.configYaml(), labels);
    const live = routes.filter((r) => r.integrations.length > 0);
    if (live.length === 0)
      return { alive: false, detail: `a page could not have been sent either: ${routes[0] ? describeRoute(routes[0]) : "no route"} tells nobody` };
    details.push(`it would page via ${describeRoute(live[0]!)}`);
  }
  return { alive: true, detail: details.join("; ") };
}
