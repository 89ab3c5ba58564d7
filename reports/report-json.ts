import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { BadInputError } from "../core/errors.js";
import { FullResolutionSchema, ReportSchema, type FullResolution, type FullResolutionRef, type Report } from "../core/report-schema.js";
import { createIsoParser } from "./utils/iso-time.js";
import { mergeIntervals, thinLoadSamples, thinPoints, type Interval, type ThinPlan } from "./utils/thin-series.js";

export const FULL_RESOLUTION_FILE = "report.full.json.gz";

/**
 * When report.json keeps everything: below `fullBelow` samples or points in every series (about
 * 5.5 hours at one per second) nothing is thinned. Above, the run is cut into about `buckets`
 * buckets, which is still more than twice the points a full-width chart can show, and the
 * `marginSeconds` either side of each fault's edges, each alert's changes and each detection stay
 * whole, so what the findings and charts look at closely is exact. A fault window is kept whole
 * when all of them together last at most `wholeFaultsBelowSeconds`; a days-long fault keeps its edges.
 */
export const THINNING = { fullBelow: 20_000, buckets: 4_000, marginSeconds: 120, wholeFaultsBelowSeconds: 3 * 3600 };

export interface SplitReport {
  /** What report.json holds. */
  document: Report;
  /** The full-resolution data, when the document was thinned; its `fullResolution` is still to be filled in by the writer. */
  full?: { data: FullResolution; bucketSeconds: number };
}

/** Thins a long run's samples and series for report.json and keeps the full data for the side file. */
export function splitReport(report: Report): SplitReport {
  const plan = planThinning(report);
  if (!plan) return { document: report };
  const document: Report = {
    ...report,
    ...(report.load ? { load: { ...report.load, samples: thinLoadSamples(report.load.samples, plan) } } : {}),
    series: Object.fromEntries(Object.entries(report.series).map(([name, points]) => [name, thinPoints(points, plan)])),
    slos: report.slos.map((s) => (s.burnRateSeries ? { ...s, burnRateSeries: thinPoints(s.burnRateSeries, plan) } : s)),
  };
  return { document, full: { data: toColumns(report), bucketSeconds: plan.bucketMs / 1000 } };
}

/**
 * Writes report.json, checked against the schema on the way out, and for a long run the
 * gzip-compressed full-resolution side file it names. Returns the paths written.
 */
export async function writeReportJson(report: Report, outDir: string): Promise<{ json: string; fullResolution?: string }> {
  await mkdir(outDir, { recursive: true });
  const { document, full } = splitReport(report);
  const json = join(outDir, "report.json");
  if (!full) {
    await writeFile(json, `${JSON.stringify(ReportSchema.parse(document), null, 2)}\n`, "utf8");
    return { json };
  }
  // Level 1: a million samples compress in about 2.5 s instead of 7.5 s at the default, for 6 % more bytes.
  const bytes = gzipSync(JSON.stringify(full.data), { level: 1 });
  const file = join(outDir, FULL_RESOLUTION_FILE);
  await writeFile(file, bytes);
  const ref: FullResolutionRef = {
    file: FULL_RESOLUTION_FILE,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    bytes: bytes.length,
    bucketSeconds: full.bucketSeconds,
    loadSamples: report.load?.samples.length ?? 0,
    seriesPoints: Object.values(report.series).reduce((n, points) => n + points.length, 0),
  };
  await writeFile(json, `${JSON.stringify(ReportSchema.parse({ ...document, fullResolution: ref }), null, 2)}\n`, "utf8");
  return { json, fullResolution: file };
}

/**
 * The report with its full-resolution samples and series put back from the side file it names;
 * a report that was never thinned comes back as it is. Errors name the file and the fix.
 */
export function withFullResolution(report: Report, reportFile: string): Report {
  const ref = report.fullResolution;
  if (!ref) return report;
  const file = join(dirname(reportFile), ref.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new BadInputError(
      `${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ${reportFile} names it in fullResolution.file: keep the two files together`,
    );
  }
  const sha = createHash("sha256").update(bytes).digest("hex");
  if (sha !== ref.sha256) {
    throw new BadInputError(`${file}: sha256 ${sha.slice(0, 12)}… is not the ${ref.sha256.slice(0, 12)}… that ${reportFile} names; it belongs to another run`);
  }
  let parsed;
  try {
    parsed = FullResolutionSchema.safeParse(JSON.parse(gunzipSync(bytes).toString("utf8")));
  } catch (err) {
    throw new BadInputError(`${file}: not gzip-compressed JSON (${(err as Error).message}); re-run to write it again`);
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BadInputError(`${file}: ${issue.path.join(".") || "(top level)"}: ${issue.message}; re-run to write it again`);
  }
  return fromColumns(report, parsed.data);
}

function planThinning(report: Report): ThinPlan | undefined {
  const lengths = [
    report.load?.samples.length ?? 0,
    ...Object.values(report.series).map((p) => p.length),
    ...report.slos.map((s) => s.burnRateSeries?.length ?? 0),
  ];
  if (Math.max(...lengths) <= THINNING.fullBelow) return undefined;
  const origin = Date.parse(report.startedAt);
  const runMs = Math.max(1000, Date.parse(report.endedAt) - origin);
  const bucketMs = Math.max(1, Math.ceil(runMs / THINNING.buckets / 1000)) * 1000;
  return { origin, bucketMs, keep: keptIntervals(report) };
}

function keptIntervals(report: Report): Interval[] {
  const margin = THINNING.marginSeconds * 1000;
  const around = (iso: string | undefined): Interval[] => {
    if (!iso) return [];
    const t = Date.parse(iso);
    return Number.isFinite(t) ? [{ from: t - margin, to: t + margin }] : [];
  };
  const end = Date.parse(report.endedAt);
  const faults = report.faults
    .filter((f) => f.injectedAt)
    .map((f) => ({ from: Date.parse(f.injectedAt!), to: f.rolledBackAt ? Date.parse(f.rolledBackAt) : end }));
  const faultSeconds = faults.reduce((s, f) => s + (f.to - f.from) / 1000, 0);
  const whole = faultSeconds <= THINNING.wholeFaultsBelowSeconds ? faults.map((f) => ({ from: f.from - margin, to: f.to + margin })) : [];
  const edges = report.faults.flatMap((f) => [...around(f.injectedAt), ...around(f.rolledBackAt)]);
  const detections = [...report.expectations, ...report.steadyState.before, ...report.steadyState.after].flatMap((e) => around(e.firstSeenAt));
  const alerts = report.alerts.flatMap((a) => [...around(a.firingAt), ...around(a.resolvedAt), ...around(a.notifiedAt)]);
  return mergeIntervals([...whole, ...edges, ...detections, ...alerts]);
}

function toColumns(report: Report): FullResolution {
  const pairs = (points: readonly [number, number][]) => ({ t: points.map((p) => p[0]), v: points.map((p) => p[1]) });
  const burnRate: FullResolution["burnRate"] = {};
  for (const s of report.slos) if (s.burnRateSeries) burnRate[s.name] = pairs(s.burnRateSeries);
  const samples = report.load?.samples;
  const parse = createIsoParser();
  return {
    format: "slo-harness-full-resolution/1",
    ...(samples
      ? {
          load: {
            t: samples.map((s) => parse(s.t)),
            seconds: samples.map((s) => s.seconds ?? 1),
            requests: samples.map((s) => s.requests),
            errors: samples.map((s) => s.errors),
            p50: samples.map((s) => s.p50),
            p99: samples.map((s) => s.p99),
          },
        }
      : {}),
    series: Object.fromEntries(Object.entries(report.series).map(([name, points]) => [name, pairs(points)])),
    burnRate,
  };
}

function fromColumns(report: Report, full: FullResolution): Report {
  const pairs = ({ t, v }: { t: number[]; v: number[] }): [number, number][] => t.map((x, i) => [x, v[i]!]);
  const l = full.load;
  const samples = l?.t.map((t, i) => ({
    t: new Date(t).toISOString(),
    ...(l.seconds[i] !== 1 ? { seconds: l.seconds[i]! } : {}),
    requests: l.requests[i]!,
    errors: l.errors[i]!,
    p50: l.p50[i]!,
    p99: l.p99[i]!,
  }));
  const { fullResolution: _thinned, ...rest } = report;
  return {
    ...rest,
    ...(report.load && samples ? { load: { ...report.load, samples } } : {}),
    series: Object.fromEntries(Object.entries(full.series).map(([name, cols]) => [name, pairs(cols)])),
    slos: report.slos.map((s) => (full.burnRate[s.name] ? { ...s, burnRateSeries: pairs(full.burnRate[s.name]!) } : s)),
  };
}
