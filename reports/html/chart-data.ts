import type { Report } from "../../core/report-schema.js";
import { downsampleMinMax } from "../utils/downsample.js";
import { printable } from "../utils/escape.js";
import { createIsoParser } from "../utils/iso-time.js";
import { classifySeries, type PanelId } from "./series-kind.js";
import { alertBands, faultBands, firstSeenMarkers, type ChartAlertBand, type ChartBand, type ChartMarker } from "./chart-events.js";

export interface ChartSeries {
  label: string;
  /** client: the load generator's view; server: Prometheus. Drawn solid and dashed. */
  source: "client" | "server";
  /** Seconds from run start, so the embedded numbers stay short. */
  x: number[];
  y: (number | null)[];
}

export interface ChartPanel {
  id: PanelId;
  title: string;
  unit: string;
  series: ChartSeries[];
  thresholds: { value: number; label: string }[];
}

/** Everything the browser draws, already downsampled; the page embeds it as JSON. */
export interface ChartPayload {
  /** Run start, unix seconds. */
  t0: number;
  /** Run length in seconds. */
  t1: number;
  panels: ChartPanel[];
  faults: ChartBand[];
  alerts: ChartAlertBand[];
  markers: ChartMarker[];
}

export type { ChartAlertBand, ChartBand, ChartMarker };

/** Buckets per series; ≤ 2 points each, enough for a full-width chart on a wide screen. */
export const DEFAULT_BUCKETS = 800;

const PANELS: Record<PanelId, { title: string; unit: string }> = {
  load: { title: "Load", unit: "req/s" },
  latency: { title: "Latency", unit: "ms" },
  errors: { title: "Error rate", unit: "%" },
  burn: { title: "Error-budget burn rate", unit: "×" },
  other: { title: "Other server-side series", unit: "" },
};

export function buildChartPayload(report: Report, buckets = DEFAULT_BUCKETS): ChartPayload {
  const t0 = Date.parse(report.startedAt) / 1000;
  const panels = new Map<PanelId, ChartPanel>();
  const panel = (id: PanelId) => {
    if (!panels.has(id)) panels.set(id, { id, ...PANELS[id], series: [], thresholds: [] });
    return panels.get(id)!;
  };
  const add = (id: PanelId, series: ChartSeries) => {
    if (series.x.length > 0) panel(id).series.push(series);
  };

  if (report.load && report.load.samples.length > 0) {
    const { samples } = report.load;
    const n = samples.length;
    const x = new Float64Array(n);
    const rps = new Float64Array(n);
    // NaN marks a second with no requests: a gap, not 0 % errors.
    const errors = new Float64Array(n);
    const p50 = new Float64Array(n);
    const p99 = new Float64Array(n);
    const parse = createIsoParser();
    for (let i = 0; i < n; i++) {
      const s = samples[i]!;
      x[i] = parse(s.t) / 1000 - t0;
      // A thinned report's wider buckets still chart as requests per second.
      rps[i] = s.requests / (s.seconds ?? 1);
      errors[i] = s.requests > 0 ? (s.errors / s.requests) * 100 : NaN;
      p50[i] = s.p50;
      p99[i] = s.p99;
    }
    const tool = report.load.tool;
    add("load", compact(`${tool}: requests/s`, "client", x, rps, buckets));
    add("latency", compact(`${tool}: p50`, "client", x, p50, buckets));
    add("latency", compact(`${tool}: p99`, "client", x, p99, buckets));
    add("errors", compact(`${tool}: failed requests`, "client", x, errors, buckets));
  }

  for (const [name, points] of Object.entries(report.series)) {
    const { panel: id, scale } = classifySeries(name);
    add(id, fromTuples(`Prometheus: ${name}`, points, t0, scale, buckets));
  }
  for (const slo of report.slos) {
    if (slo.burnRateSeries?.length) add("burn", fromTuples(`${slo.name}: burn rate`, slo.burnRateSeries, t0, 1, buckets));
  }

  const slo = report.slos[0];
  if (slo && panels.has("errors")) {
    const allowed = Number(((1 - slo.objective) * 100).toPrecision(6));
    panel("errors").thresholds.push({ value: allowed, label: `${slo.name} allows ${allowed} %` });
  }
  if (panels.has("burn")) {
    panel("burn").thresholds.push(
      { value: 1, label: "1×: budget lasts exactly the SLO window" },
      { value: 14.4, label: "14.4×: fast burn (2 % of a 30-day budget in 1 h)" },
    );
  }

  const order: PanelId[] = ["load", "latency", "errors", "other", "burn"];
  return {
    t0,
    t1: Math.max(0, Date.parse(report.endedAt) / 1000 - t0),
    panels: order.flatMap((id) => (panels.has(id) ? [panels.get(id)!] : [])),
    faults: faultBands(report, t0),
    alerts: alertBands(report, t0),
    markers: firstSeenMarkers(report, t0),
  };
}

function fromTuples(label: string, points: [number, number][], t0: number, scale: number, buckets: number): ChartSeries {
  const n = points.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Index access, not destructuring: the iterator protocol costs seconds over millions of points.
    const point = points[i]!;
    x[i] = point[0] - t0;
    y[i] = point[1] * scale;
  }
  return compact(label, "server", x, y, buckets);
}

function compact(label: string, source: ChartSeries["source"], x: ArrayLike<number>, y: ArrayLike<number | null>, buckets: number): ChartSeries {
  const down = downsampleMinMax(x, y, buckets);
  return {
    label: printable(label),
    source,
    x: down.x.map((v) => Math.round(v * 1000) / 1000),
    y: down.y.map((v) => (v === null ? null : Number(v.toPrecision(4)))),
  };
}
