/**
 * The alert-quality view's data (the SRE Workbook's chapter 5 measures): each alert rule tied to
 * an SLO, backtested on the same fault profiles, so rules written by hand and the multi-window
 * rules the SLO engine generates can be read side by side. Plain data: the backtest fills it,
 * reports render it.
 */
export interface AlertQuality {
  /** Evaluation interval of the simulated Prometheus, in seconds. */
  intervalSeconds: number;
  slos: AlertQualitySlo[];
  /** Alerts not tied to a known SLO by their `slo` label, so not backtested. */
  skipped: { alert: string; file: string; reason: string }[];
}

export interface AlertQualityProfile {
  name: string;
  errorRatio: number;
  durationSeconds: number;
  ratePerSecond: number;
  /** Share of the SLO period's budget the whole fault spends. */
  faultBudget: number;
}

export interface AlertQualitySlo {
  name: string;
  objective: number;
  period: string;
  profiles: AlertQualityProfile[];
  alerts: AlertQualityRule[];
}

export interface AlertQualityRule {
  alert: string;
  severity?: string;
  /** "generated": written by `slo-harness slo rules`; "shipped": any other rule file of the stack. */
  origin: "shipped" | "generated";
  file: string;
  /** The burn condition in words, e.g. "(14.4x over 1h & 14.4x over 5m) | (6x over 6h & 6x over 30m)". */
  condition: string;
  forSeconds: number;
  /** One per profile, in the SLO's profile order. */
  outcomes: { fired: boolean; flaps: boolean; detectionSeconds?: number; budgetAtDetection?: number; resetSeconds?: number }[];
  flags: string[];
}
