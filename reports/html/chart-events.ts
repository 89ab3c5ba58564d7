import type { Report, Verdict } from "../../core/report-schema.js";

/** A time window on the charts, in seconds from run start. */
export interface ChartBand {
  label: string;
  start: number;
  end: number;
  /** Still going when the run ended (a fault never rolled back, an alert never resolved). */
  open: boolean;
}

export interface ChartAlertBand extends ChartBand {
  notified?: number;
}

/** Where an expected signal was first seen; `n` is its row number in the expectations table. */
export interface ChartMarker {
  n: number;
  id: string;
  signal: string;
  at: number;
  verdict: Verdict;
}

const seconds = (iso: string, t0: number) => Math.round((Date.parse(iso) / 1000 - t0) * 1000) / 1000;

/** Fault windows from the fault results, falling back to the Timeline when a field is missing. */
export function faultBands(report: Report, t0: number): ChartBand[] {
  const runEnd = seconds(report.endedAt, t0);
  return report.faults.flatMap((f) => {
    const injected = f.injectedAt ?? timelineAt(report, "fault-injected", f.id);
    if (!injected) return [];
    const rolledBack = f.rolledBackAt ?? timelineAt(report, "fault-rolled-back", f.id);
    return [{ label: f.id, start: seconds(injected, t0), end: rolledBack ? seconds(rolledBack, t0) : runEnd, open: !rolledBack }];
  });
}

export function alertBands(report: Report, t0: number): ChartAlertBand[] {
  const runEnd = seconds(report.endedAt, t0);
  return report.alerts.map((a) => ({
    label: a.name,
    start: seconds(a.firingAt, t0),
    end: a.resolvedAt ? seconds(a.resolvedAt, t0) : runEnd,
    open: !a.resolvedAt,
    ...(a.notifiedAt ? { notified: seconds(a.notifiedAt, t0) } : {}),
  }));
}

/** Numbered like the expectations table, so a mark on the chart points to its row. */
export function firstSeenMarkers(report: Report, t0: number): ChartMarker[] {
  return report.expectations.flatMap((e, i) => {
    const at = e.firstSeenAt ?? timelineAt(report, "expectation-first-seen", e.id);
    return at ? [{ n: i + 1, id: e.id, signal: e.signal, at: seconds(at, t0), verdict: e.verdict }] : [];
  });
}

function timelineAt(report: Report, kind: string, id: string): string | undefined {
  return report.timeline.find((e) => e.kind === kind && e.id === id)?.at;
}
