import type { ExpectationResult } from "../../core/report-schema.js";
import type { Diagnosis } from "./diagnosis.js";

/** The diagnosis as report.json carries it: times as ISO strings. */
export function toReportDiagnosis(d: Diagnosis): NonNullable<ExpectationResult["diagnosis"]> {
  return {
    summary: d.summary,
    ...(d.stoppedAt ? { stoppedAt: d.stoppedAt } : {}),
    reachedBackend: d.reachedBackend,
    hops: d.hops.map((h) => ({ hop: h.hop, status: h.status, detail: h.detail, ...(h.at ? { at: h.at.toISOString() } : {}) })),
  };
}
