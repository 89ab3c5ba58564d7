import { BadInputError } from "../core/errors.js";
import type { Report } from "../core/report-schema.js";

/**
 * The report's data as CSV, for a spreadsheet or pandas: the load generator's samples (one row per
 * bucket: its start, width in seconds, requests, errors, p50 and p99 in milliseconds), or one
 * server-side series (unix seconds and ISO time, value). Written in chunks, since a soak has a
 * million rows.
 */
export function* loadSamplesCsv(report: Report): Generator<string> {
  if (!report.load) throw new BadInputError(`the report has no load section (the experiment sent no load); pass --series NAME for a server-side series`);
  yield "time,seconds,requests,errors,p50_ms,p99_ms\n";
  yield* chunks(report.load.samples, (s) => `${s.t},${s.seconds ?? 1},${s.requests},${s.errors},${s.p50},${s.p99}\n`);
}

/** One of `report.series`, or an SLO's burn rate as `burn-rate:<slo>`. */
export function* seriesCsv(report: Report, name: string): Generator<string> {
  const burn = name.startsWith("burn-rate:") ? report.slos.find((s) => s.name === name.slice("burn-rate:".length))?.burnRateSeries : undefined;
  const points = report.series[name] ?? burn;
  if (!points) {
    const known = [...Object.keys(report.series), ...report.slos.filter((s) => s.burnRateSeries).map((s) => `burn-rate:${s.name}`)];
    throw new BadInputError(`--series: the report has no series "${name}"; it has ${known.length > 0 ? known.map((k) => `"${k}"`).join(", ") : "none"}`);
  }
  yield "unix_seconds,time,value\n";
  yield* chunks(points, ([t, v]) => `${t},${new Date(t * 1000).toISOString()},${v}\n`);
}

function* chunks<T>(items: readonly T[], row: (item: T) => string): Generator<string> {
  const size = 10_000;
  for (let i = 0; i < items.length; i += size)
    yield items
      .slice(i, i + size)
      .map(row)
      .join("");
}
