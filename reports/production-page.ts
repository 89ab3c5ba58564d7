import type { ProductionEstimate, Report } from "../core/report-schema.js";

/**
 * The production page of a compressed run's replay: the earliest-firing page-severity alert, else
 * the earliest of any; of one SLO's alerts when `slo` is given. Every part of the report that
 * quotes the production page asks here, so they all quote the same alert.
 */
export function productionPage({ production }: Report, slo?: string): ProductionEstimate["alerts"][number] | undefined {
  const fired = (production?.alerts ?? [])
    .filter((a) => a.fired && a.detectionSeconds !== undefined && (slo === undefined || a.slo === slo))
    .sort((a, b) => a.detectionSeconds! - b.detectionSeconds!);
  return fired.find((a) => a.severity === "page") ?? fired[0];
}
