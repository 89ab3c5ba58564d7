import type { ProductionEstimate, Report } from "../core/report-schema.js";

/** The production page of a compressed run's replay: the earliest-firing page-severity alert, else the earliest of any. */
export function productionPage({ production }: Report): ProductionEstimate["alerts"][number] | undefined {
  const fired = (production?.alerts ?? []).filter((a) => a.fired && a.detectionSeconds !== undefined).sort((a, b) => a.detectionSeconds! - b.detectionSeconds!);
  return fired.find((a) => a.severity === "page") ?? fired[0];
}
