import type { Evidence, Probe, ProbeAnswer, ProbeContext } from "./probe.js";
import type { Diagnosis, PathContext, PathLiveness } from "./diagnosis/diagnosis.js";
import { diagnoseMetric } from "./diagnosis/metric-path.js";
import { metricPathAlive } from "./diagnosis/metric-liveness.js";
import { PrometheusClient, type PromSeries } from "./clients/index.js";
import { compare, formatValue, type Comparator } from "./utils/comparator.js";
import { formatLabels } from "./utils/labels.js";
import { humanMs, iso } from "./utils/times.js";
import { z } from "zod";
import { comparator, duration } from "../core/spec-parts.js";
import { parseDuration } from "../core/durations.js";
import { parseMetricCondition } from "./utils/promql-comparison.js";
import { probeKind } from "./probe-kind.js";

export interface MetricProbeOptions {
  query: string;
  /** Without a comparator, any sample counts. */
  op?: Comparator;
  value?: number;
  /** The condition must hold this long; first-seen is the moment it has. */
  forMs?: number;
  /** "holds" (appears, stays-absent) or "clears": the first time the condition stops holding. */
  mode?: "holds" | "clears";
}

/** Prometheus allows 11,000 points per series; stay well under. */
const MAX_POINTS = 10_000;
const REFINE_STEP_S = 0.1;

interface Step {
  t: number;
  matched: boolean;
  /** The matching series (or, for "clears", the last one seen) and its value. */
  detail?: string;
}

/**
 * A PromQL condition, judged on Prometheus' own history: each poll evaluates the query over
 * [since - 1 step, now] at a 1 s step, so first-seen is the evaluation time of the first matching
 * step, within a second of the sample that caused it, however coarse the polling was.
 */
export class MetricProbe implements Probe {
  readonly signal = "metric" as const;
  readonly visibility = "signal" as const;

  constructor(
    private readonly prometheus: PrometheusClient,
    private readonly options: MetricProbeOptions,
  ) {}

  diagnose(ctx: PathContext): Promise<Diagnosis> {
    const { query, op, value, mode } = this.options;
    return diagnoseMetric(this.prometheus, { query, ...(op !== undefined ? { op, value: value! } : {}), ...(mode ? { mode } : {}) }, ctx);
  }

  pathAlive(ctx: PathContext): Promise<PathLiveness> {
    return metricPathAlive(this.prometheus, this.options.query, ctx, ctx.maxGapMs);
  }

  describe(): string {
    const { query, op, value, forMs, mode } = this.options;
    const condition = op !== undefined ? `${query} ${op} ${value}` : query;
    const held = forMs ? ` for ${humanMs(forMs)}` : "";
    return mode === "clears" ? `${condition}${held} stops holding` : `${condition}${held}`;
  }

  async observe(ctx: ProbeContext): Promise<ProbeAnswer> {
    const now = new Date();
    const clears = this.options.mode === "clears";
    // Stopping to hold means something only after holding: "clears" reads the run's history too.
    const from = clears && ctx.runStart && ctx.runStart.getTime() < ctx.since.getTime() ? ctx.runStart : ctx.since;
    const span = Math.max(1, (now.getTime() - from.getTime()) / 1000);
    const stepS = Math.max(1, Math.ceil(span / MAX_POINTS));
    // One step before `since`: a condition already true there is reported as pre-existing.
    const start = new Date(from.getTime() - stepS * 1000);
    const series = await this.prometheus.queryRange(this.options.query, start, now, stepS);
    const steps = this.judge(series, start, now, stepS);
    const found = this.firstSatisfied(steps, ctx.since.getTime() / 1000, stepS);
    const evidence: Evidence = {
      query: this.options.query,
      result: "",
      url: this.prometheus.graphUrl(this.options.query, span + 60),
    };
    if (!found) {
      return { miss: { ...evidence, result: this.summariseMiss(series, ctx.since, now) } };
    }
    if (clears && !steps.some((step) => step.t <= found.t && !step.matched)) {
      const what = this.describe().replace(/ stops holding$/, "");
      return { miss: { ...evidence, result: `${what} never held since the run started at ${iso(from)}: a condition that never held cannot stop holding` } };
    }
    const preexisting = found.t < ctx.since.getTime() / 1000;
    if (!preexisting && !this.options.forMs) found.t = await this.refine(found.t, stepS);
    const at = new Date(Math.round(found.t * 1000));
    const verb = this.options.mode === "clears" ? "stopped holding" : "held";
    const when = preexisting ? `already ${verb} before ${iso(ctx.since)}` : `${verb} from ${iso(at)}`;
    return {
      seen: {
        at,
        evidence: {
          ...evidence,
          result: `${this.describe()}: ${when}; ${found.detail ?? ""} (${stepS} s steps over ${iso(start)}..${iso(now)}, the edge refined to ${REFINE_STEP_S} s)`,
        },
      },
    };
  }

  /**
   * The coarse step only says the edge lies in (t - step, t]; ten more points place it within
   * 0.1 s, so the sample behind it is dated as tightly as Prometheus stores it.
   */
  private async refine(t: number, stepS: number): Promise<number> {
    const start = new Date(Math.round((t - stepS) * 1000));
    const end = new Date(Math.round(t * 1000));
    const series = await this.prometheus.queryRange(this.options.query, start, end, REFINE_STEP_S);
    return this.judge(series, start, end, REFINE_STEP_S).find((step) => step.matched)?.t ?? t;
  }

  /** Per step of the range: does the condition (or, for "clears", its negation) hold? */
  private judge(series: PromSeries[], start: Date, end: Date, stepS: number): Step[] {
    const { op, value, mode } = this.options;
    const byTime = new Map<number, { labels: Record<string, string>; value: number }[]>();
    for (const s of series) {
      for (const [t, v] of s.values) {
        const key = Math.round(t * 1000);
        const list = byTime.get(key) ?? [];
        list.push({ labels: s.metric, value: v });
        byTime.set(key, list);
      }
    }
    const steps: Step[] = [];
    for (let t = start.getTime(); t <= end.getTime(); t += stepS * 1000) {
      const samples = byTime.get(Math.round(t)) ?? [];
      const hit = samples.find((s) => op === undefined || compare(s.value, op, value!));
      const holds = hit !== undefined;
      const matched = mode === "clears" ? !holds : holds;
      const shown = hit ?? samples[0];
      const detail = shown ? `${formatValue(shown.value)} ${formatLabels(shown.labels)}` : "no series";
      steps.push({ t: t / 1000, matched, detail });
    }
    return steps;
  }

  /** The first run of matching steps that reaches into [since, ..) and lasts `forMs`. */
  private firstSatisfied(steps: Step[], sinceS: number, stepS: number): { t: number; detail: string | undefined } | undefined {
    const holdS = (this.options.forMs ?? 0) / 1000;
    let runStart: Step | undefined;
    for (const step of steps) {
      if (!step.matched) {
        runStart = undefined;
        continue;
      }
      runStart ??= step;
      // A run that ended before `since` is history, not a sighting.
      if (step.t < sinceS - stepS / 2) continue;
      if (runStart.t < sinceS - stepS / 2) return { t: runStart.t, detail: runStart.detail };
      if (step.t - runStart.t >= holdS)
        return {
          t: holdS > 0 ? step.t : runStart.t,
          detail: `${runStart.detail}${holdS > 0 ? `, held ${humanMs((step.t - runStart.t) * 1000)} from ${iso(new Date(runStart.t * 1000))}` : ""}`,
        };
    }
    return undefined;
  }

  private summariseMiss(series: PromSeries[], since: Date, now: Date): string {
    const window = `${iso(since)}..${iso(now)}`;
    const values = series.flatMap((s) => s.values.filter(([t]) => t >= since.getTime() / 1000).map(([t, v]) => ({ t, v, labels: s.metric })));
    if (values.length === 0) return `no series in ${window} (no data)`;
    const finite = values.filter((x) => !Number.isNaN(x.v));
    const latest = values.reduce((a, b) => (b.t >= a.t ? b : a));
    const min = finite.reduce((m, x) => Math.min(m, x.v), Infinity);
    const max = finite.reduce((m, x) => Math.max(m, x.v), -Infinity);
    const range = finite.length ? `min ${formatValue(min)}, max ${formatValue(max)}` : "all NaN";
    const what =
      this.options.mode === "clears"
        ? "never stopped holding"
        : `never ${this.options.op !== undefined ? `${this.options.op} ${this.options.value}` : "returned a sample"}`;
    return `${what} in ${window}: ${range} over ${series.length} series; latest ${formatValue(latest.v)} ${formatLabels(latest.labels)} at ${iso(new Date(latest.t * 1000))}`;
  }
}

const condition = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    try {
      parseMetricCondition(text);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `${(err as Error).message}; write it as '<PromQL> <op> <number>' or as { query, op, value }` });
    }
  });

export const MetricProbeSpec = z.union([
  condition.describe("PromQL with a comparison, e.g. 'job:checkout_api_error_ratio:rate1m > 0.01'"),
  z
    .strictObject({ query: z.string().min(1), op: comparator.optional(), value: z.number().optional(), for: duration.optional() })
    .refine((s) => (s.op === undefined) === (s.value === undefined), { message: '"op" and "value" go together' }),
]);

export const metricProbeKind = probeKind({
  key: "metric",
  signal: "metric",
  summary: "PromQL with a comparison, optionally held for a duration (Prometheus)",
  spec: MetricProbeSpec,
  kinds: ["appears", "stays-absent", "resolves"],
  steadyState: true,
  build(spec, { endpoints, kind }) {
    const mode = kind === "resolves" ? "clears" : "holds";
    const prometheus = new PrometheusClient(endpoints.prometheus, 5000, endpoints.access?.prometheus);
    if (typeof spec === "string") return new MetricProbe(prometheus, { ...parseMetricCondition(spec), mode });
    return new MetricProbe(prometheus, {
      query: spec.query,
      ...(spec.op !== undefined ? { op: spec.op, value: spec.value! } : {}),
      ...(spec.for ? { forMs: parseDuration(spec.for) } : {}),
      mode,
    });
  },
});
