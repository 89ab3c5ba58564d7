/**
 * Error-budget arithmetic, as in the SRE Workbook ch. 5. Ratios are of events:
 * an error ratio of 0.02 under a 99 % objective (budget 0.01) burns at 2×.
 */
export function burnRate(errorRatio: number, budget: number): number {
  return errorRatio / budget;
}

/** Fraction of the period's whole budget that `durationMs` at this error ratio uses up. */
export function budgetConsumed(errorRatio: number, durationMs: number, budget: number, periodMs: number): number {
  return (burnRate(errorRatio, budget) * durationMs) / periodMs;
}

/**
 * Time until "error ratio over `windowMs` > burnRate × budget" first holds after a step to
 * `errorRatio` from zero, with traffic steady: (1 − SLO) / error ratio × window × burn rate.
 * Infinity when the error ratio never exceeds the threshold.
 */
export function workbookTimeToFireMs(budget: number, errorRatio: number, windowMs: number, rate: number): number {
  return errorRatio > rate * budget ? (budget / errorRatio) * windowMs * rate : Infinity;
}

/** Budget spent by the time such an alert fires: burn rate × window / period (2 % for 14.4× over 1h of 30d). */
export function workbookBudgetAtFire(rate: number, windowMs: number, periodMs: number): number {
  return (rate * windowMs) / periodMs;
}
