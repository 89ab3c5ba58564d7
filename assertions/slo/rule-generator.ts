import YAML from "yaml";
import { WORKBOOK_POLICY, policyWindows, type BurnAlertPolicy } from "./burn-rate-policy.js";
import { errorBudget, errorRatioQuery, type SloDefinition } from "./slo-definition.js";
import { GENERATED_HEADER, type Rule, type RuleFile } from "./utils/rule-file.js";

export interface RuleOptions {
  /** Defaults to the SLO's own (its tool's windows), else the Workbook's. */
  policy?: readonly BurnAlertPolicy[];
  /** Defaults to the SLO's own alert name, else its name in PascalCase + "ErrorBudgetBurn". */
  alertName?: string;
}

export function defaultAlertName(sloName: string): string {
  return (
    sloName
      .split("-")
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join("") + "ErrorBudgetBurn"
  );
}

/** `slo:sli_error:ratio_rate5m`, Sloth's name, so dashboards built for Sloth work unchanged. */
export function sliErrorRecord(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(10))} %`;
}

function alertExpr(slo: SloDefinition, policy: BurnAlertPolicy, selector: string): string {
  const budget = errorBudget(slo);
  const pairs = policy.windows.map(
    (w) =>
      `(\n  ${sliErrorRecord(w.longWindow)}${selector} > (${w.burnRate} * ${budget})\n  and\n  ${sliErrorRecord(w.shortWindow)}${selector} > (${w.burnRate} * ${budget})\n)`,
  );
  return pairs.join("\nor\n");
}

/**
 * Multi-window, multi-burn-rate rules for one SLO: error ratios per window, the SLO's
 * objective, budget and period, and one alert per severity of the policy.
 */
export function generateRules(slo: SloDefinition, options: RuleOptions = {}): RuleFile {
  const policy = options.policy ?? slo.alertPolicy ?? WORKBOOK_POLICY;
  const labels = { slo: slo.name, service: slo.service };
  const selector = `{slo="${slo.name}"}`;
  const budget = errorBudget(slo);
  const short = policyWindows(policy)[0]!;
  const sli: Rule[] = policyWindows(policy).map((w) => ({ record: sliErrorRecord(w), expr: `${errorRatioQuery(slo, w)}\n`, labels }));
  sli.push({
    record: sliErrorRecord(slo.period),
    // Averaging the shortest window's ratio avoids a 30-day range over raw counters, as Sloth does.
    expr: `sum_over_time(${sliErrorRecord(short)}${selector}[${slo.period}])\n/\ncount_over_time(${sliErrorRecord(short)}${selector}[${slo.period}])\n`,
    labels,
  });
  const meta: Rule[] = [
    { record: "slo:objective:ratio", expr: `vector(${slo.objective})`, labels },
    { record: "slo:error_budget:ratio", expr: `vector(${budget})`, labels },
    { record: "slo:time_period:days", expr: `vector(${slo.periodMs / 86_400_000})`, labels },
    {
      record: "slo:current_burn_rate:ratio",
      expr: `${sliErrorRecord(short)}${selector}\n/ on (slo, service) group_left ()\nslo:error_budget:ratio${selector}\n`,
      labels,
    },
    {
      record: "slo:period_burn_rate:ratio",
      expr: `${sliErrorRecord(slo.period)}${selector}\n/ on (slo, service) group_left ()\nslo:error_budget:ratio${selector}\n`,
      labels,
    },
    { record: "slo:period_error_budget_remaining:ratio", expr: `1 - slo:period_burn_rate:ratio${selector}`, labels },
  ];
  const alertName = options.alertName ?? slo.alertName ?? defaultAlertName(slo.name);
  const alerts: Rule[] = policy.map((p) => ({
    alert: alertName,
    expr: `${alertExpr(slo, p, selector)}\n`,
    ...(p.for ? { for: p.for } : {}),
    labels: { severity: p.severity, ...labels },
    annotations: {
      summary: `${slo.name}: error budget burning (${p.severity})`,
      description:
        `{{ $value | humanizePercentage }} of events failed over the long window; the ${percent(slo.objective)} objective over ${slo.period} allows ${percent(budget)}. ` +
        `Fires on ${p.windows.map((w) => `${w.burnRate}x over ${w.longWindow} and ${w.shortWindow}`).join(", or ")}.`,
    },
  }));
  return {
    groups: [
      // Rules in a group run in order, so each alert reads this evaluation's ratios; in separate
      // groups it could read the previous one's and fire an interval late.
      { name: `slo-harness-${slo.name}-burn`, rules: [...sli, ...alerts] },
      { name: `slo-harness-${slo.name}-meta`, rules: meta },
    ],
  };
}

export function renderRuleFile(rules: RuleFile, comment: string): string {
  const body = YAML.stringify(rules, { lineWidth: 0, blockQuote: "literal", aliasDuplicateObjects: false });
  return `${GENERATED_HEADER}\n# ${comment}\n${body}`;
}
