import { readFileSync } from "node:fs";
import YAML from "yaml";
import { z } from "zod";
import { formatPromDuration, parsePromDuration } from "./utils/prom-duration.js";

/** One condition pair: the error ratio over both windows exceeds burnRate × the error budget. */
export interface BurnWindowPair {
  longWindow: string;
  shortWindow: string;
  burnRate: number;
}

export interface BurnAlertPolicy {
  severity: string;
  /** Alternatives: the alert fires when any pair holds. */
  windows: BurnWindowPair[];
  for?: string;
}

/**
 * The SRE Workbook's recommendation (ch. 5, "multiwindow, multi-burn-rate alerts") for a
 * 30-day SLO: page on 2 % of the budget in 1 h or 5 % in 6 h, ticket on 10 % in 3 days;
 * each long window is paired with a short one of 1/12 its length so the alert resets quickly.
 */
export const WORKBOOK_POLICY: readonly BurnAlertPolicy[] = [
  {
    severity: "page",
    windows: [
      { longWindow: "1h", shortWindow: "5m", burnRate: 14.4 },
      { longWindow: "6h", shortWindow: "30m", burnRate: 6 },
    ],
  },
  { severity: "ticket", windows: [{ longWindow: "3d", shortWindow: "6h", burnRate: 1 }] },
];

/**
 * What Sloth generates for a 30-day period: the Workbook's pairs plus a ticket on 10 % of the
 * budget in a day (3× over 1d and 2h). SLOs read from Sloth's own files alert on these, so the
 * harness checks the alerts the team actually runs.
 */
export const SLOTH_POLICY: readonly BurnAlertPolicy[] = [
  WORKBOOK_POLICY[0]!,
  {
    severity: "ticket",
    windows: [
      { longWindow: "1d", shortWindow: "2h", burnRate: 3 },
      { longWindow: "3d", shortWindow: "6h", burnRate: 1 },
    ],
  },
];

const promDuration = z.string().refine(
  (s) => {
    try {
      return parsePromDuration(s) > 0;
    } catch {
      return false;
    }
  },
  { message: 'expected a Prometheus duration like "1h" or "30m"' },
);

const PolicyFileSchema = z.array(
  z.strictObject({
    severity: z.string().min(1),
    for: promDuration.optional(),
    windows: z.array(z.strictObject({ longWindow: promDuration, shortWindow: promDuration.optional(), burnRate: z.number().positive() })).min(1),
  }),
);

/** The short window defaults to 1/12 of the long one, the Workbook's ratio. */
export function shortWindowFor(longWindow: string): string {
  return formatPromDuration(Math.round(parsePromDuration(longWindow) / 12));
}

/** Reads a policy file: a YAML list like WORKBOOK_POLICY; shortWindow may be left out. */
export function loadBurnPolicy(file: string): BurnAlertPolicy[] {
  const parsed = PolicyFileSchema.safeParse(YAML.parse(readFileSync(file, "utf8")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `${file}: ${issue.path.join(".") || "(top level)"}: ${issue.message}; see WORKBOOK_POLICY in assertions/slo/burn-rate-policy.ts for the shape`,
    );
  }
  return parsed.data.map((p) => ({
    severity: p.severity,
    for: p.for,
    windows: p.windows.map((w) => ({ longWindow: w.longWindow, shortWindow: w.shortWindow ?? shortWindowFor(w.longWindow), burnRate: w.burnRate })),
  }));
}

/** Every window a policy needs a recording rule for, shortest first. */
export function policyWindows(policy: readonly BurnAlertPolicy[]): string[] {
  const ms = new Set(policy.flatMap((p) => p.windows.flatMap((w) => [parsePromDuration(w.longWindow), parsePromDuration(w.shortWindow)])));
  return [...ms].sort((a, b) => a - b).map(formatPromDuration);
}
