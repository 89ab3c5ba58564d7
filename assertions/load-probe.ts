import type { Probe, ProbeAnswer, ProbeContext } from "./probe.js";
import { diagnosisOf, offset, type Diagnosis, type PathContext, type PathLiveness } from "./diagnosis/diagnosis.js";
import type { LoadRequest } from "./load-coverage.js";
import { compare, formatValue, type Comparator } from "./utils/comparator.js";
import { QueryError } from "./utils/errors.js";
import { humanMs, iso } from "./utils/times.js";
import { z } from "zod";
import { duration } from "../core/spec-parts.js";
import { parseDuration } from "../core/durations.js";
import { probeKind } from "./probe-kind.js";

/** What the users saw, per sliding window of the load's own results. */
export type LoadMeasure = "error_ratio" | "p50_seconds" | "p99_seconds" | "rps";
export const LOAD_MEASURES: readonly LoadMeasure[] = ["error_ratio", "p50_seconds", "p99_seconds", "rps"];

export interface LoadProbeOptions {
  measure: LoadMeasure;
  op: Comparator;
  value: number;
  windowMs: number;
}

interface WindowValue {
  /** The end of the window: when the last answer in it had come back. */
  end: number;
  value: number;
  requests: number;
}

/** A request failed for its user when it got no answer or a server error. */
const failed = (r: LoadRequest) => r.status === 0 || r.status >= 500;

/**
 * The users' view, from the load generator's own results: an error ratio, a latency percentile
 * or a rate over a sliding window of answers. It is what the stack under test is measured
 * against: when users saw failures the server never counted (requests that never reached it),
 * only this probe sees them. First-seen is when the answer that tipped the window came back.
 */
export class LoadProbe implements Probe {
  readonly signal = "load" as const;
  readonly visibility = "signal" as const;

  constructor(private readonly options: LoadProbeOptions) {}

  describe(): string {
    const o = this.options;
    return `users' ${o.measure.replace(/_/g, " ")} over ${humanMs(o.windowMs)} ${o.op} ${o.value}`;
  }

  async observe(ctx: ProbeContext): Promise<ProbeAnswer> {
    if (!ctx.sentRequests) throw new QueryError("load probe: the experiment has no load, so there is nothing the users saw");
    const windows = this.windows(ctx.sentRequests(), ctx.since, new Date());
    const hit = windows.find((w) => compare(w.value, this.options.op, this.options.value));
    const query = `${this.describe()}, from the load generator's results since ${iso(ctx.since)}`;
    if (!hit) {
      return { miss: { query, result: this.summarise(windows) } };
    }
    const at = new Date(hit.end);
    return {
      seen: {
        at,
        evidence: {
          query,
          result: `${this.options.measure} ${formatValue(hit.value)} over the ${humanMs(this.options.windowMs)} to ${iso(at)} (${hit.requests} answers); ${this.summarise(windows)}`,
        },
      },
    };
  }

  async diagnose(ctx: PathContext): Promise<Diagnosis> {
    const windows = ctx.sentRequests ? this.windows(ctx.sentRequests(), ctx.from, ctx.to) : [];
    if (windows.length === 0)
      return diagnosisOf(
        [{ hop: "load", status: "stopped", detail: `the load got no answers between ${offset(ctx.from, ctx.origin)} and ${offset(ctx.to, ctx.origin)}` }],
        false,
      );
    return diagnosisOf(
      [
        { hop: "load", status: "reached", detail: `${windows.length} windows of answers` },
        { hop: "condition", status: "stopped", detail: this.summarise(windows) },
      ],
      true,
    );
  }

  async pathAlive(ctx: PathContext): Promise<PathLiveness> {
    const answered = (ctx.sentRequests?.() ?? []).filter((r) => r.sentAt >= ctx.from && r.sentAt <= ctx.to).length;
    if (answered === 0)
      return {
        alive: false,
        detail: `the load sent nothing between ${offset(ctx.from, ctx.origin)} and ${offset(ctx.to, ctx.origin)}, so its users saw nothing either way`,
      };
    return { alive: true, detail: `the load sent ${answered} requests during the window` };
  }

  /**
   * The measure over the `windowMs` of answers before each whole second from `since` to `until`:
   * first-seen within a second of the answer that tipped it, at a cost that grows with seconds,
   * not with answers squared.
   */
  private windows(requests: readonly LoadRequest[], since: Date, until: Date): WindowValue[] {
    const answers = requests
      .map((r) => ({ r, at: r.sentAt.getTime() + r.latencyMs }))
      .filter((a) => a.at > since.getTime() - this.options.windowMs && a.at <= until.getTime())
      .sort((a, b) => a.at - b.at);
    const out: WindowValue[] = [];
    let from = 0;
    let to = 0;
    for (let end = Math.ceil(since.getTime() / 1000) * 1000; end <= until.getTime(); end += 1000) {
      while (to < answers.length && answers[to]!.at <= end) to++;
      while (from < to && answers[from]!.at <= end - this.options.windowMs) from++;
      if (to === from) continue;
      const inWindow = answers.slice(from, to).map((a) => a.r);
      out.push({ end, value: this.measure(inWindow), requests: inWindow.length });
    }
    return out;
  }

  private measure(window: LoadRequest[]): number {
    switch (this.options.measure) {
      case "error_ratio":
        return window.filter(failed).length / window.length;
      case "rps":
        return window.length / (this.options.windowMs / 1000);
      case "p50_seconds":
      case "p99_seconds": {
        const sorted = window.map((r) => r.latencyMs / 1000).sort((a, b) => a - b);
        const p = this.options.measure === "p50_seconds" ? 0.5 : 0.99;
        return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
      }
    }
  }

  private summarise(windows: WindowValue[]): string {
    if (windows.length === 0) return "no answers yet";
    const max = windows.reduce((a, b) => (b.value > a.value ? b : a));
    const min = windows.reduce((a, b) => (b.value < a.value ? b : a));
    return `${this.options.measure} ranged ${formatValue(min.value)}..${formatValue(max.value)} (max at ${iso(new Date(max.end))}) over ${windows.length} windows`;
  }
}

/** "error_ratio > 0.01", "p99_seconds > 2": a measure of the load's own results, a comparison, a number. */
const LOAD_CONDITION = /^(error_ratio|p50_seconds|p99_seconds|rps)\s*(>=|<=|==|!=|>|<)\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/;
const loadCondition = z.string().regex(LOAD_CONDITION, {
  message: 'expected "<measure> <op> <number>" with measure error_ratio, p50_seconds, p99_seconds or rps, e.g. "error_ratio > 0.01"',
});

export const LoadProbeSpec = z.union([
  loadCondition.describe("what the users saw, from the load generator's own results, e.g. 'error_ratio > 0.01'"),
  z.strictObject({ condition: loadCondition, window: duration.default("10s") }),
]);

export const loadProbeKind = probeKind({
  key: "load",
  signal: "load",
  summary: "what the users saw: error ratio, p50/p99 latency or rate over a sliding window of the load's own answers",
  spec: LoadProbeSpec,
  kinds: ["appears", "stays-absent"],
  build(spec) {
    const { condition, window } = typeof spec === "string" ? { condition: spec, window: "10s" } : spec;
    const [, measure, op, value] = LOAD_CONDITION.exec(condition)!;
    return new LoadProbe({ measure: measure as LoadMeasure, op: op as Comparator, value: Number(value), windowMs: parseDuration(window) });
  },
});
