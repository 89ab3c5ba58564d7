import type { Endpoints } from "../core/environment.js";
import type { AbortCondition } from "../core/experiment-model.js";
import { compare, formatValue, parseMetricCondition } from "../assertions/index.js";
import { PrometheusClient } from "../assertions/clients/index.js";

/** The abort condition that held, when, and what was seen. */
export interface AbortTrip {
  id: string;
  at: Date;
  evidence: string;
}

/** What the loader checks of the abort conditions beyond their schema: unique ids, PromQL that parses, load for a load ratio. */
export function abortConditionProblems(name: string, conditions: readonly AbortCondition[], hasLoad: boolean): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const c of conditions) {
    if (seen.has(c.id)) problems.push(`${name}: abort[${c.id}]: the id is used twice; give each abort condition its own id`);
    seen.add(c.id);
    if (c.metric !== undefined) {
      try {
        parseMetricCondition(c.metric);
      } catch (err) {
        problems.push(`${name}: abort[${c.id}].metric: ${(err as Error).message}`);
      }
    }
    if (c.loadErrorRatio !== undefined && !hasLoad)
      problems.push(
        `${name}: abort[${c.id}].loadErrorRatio: it measures the load's own requests, and the experiment has no load; add a load: section or use metric:`,
      );
  }
  return problems;
}

export interface AbortWatchContext {
  endpoints: Endpoints;
  /** The load's requests and failures so far, when the run has load. */
  loadTotals?: () => { requests: number; errors: number };
  /** Default 1 s. */
  pollIntervalMs?: number;
}

/**
 * Polls the experiment's abort conditions from run start until stopped; the first that holds is
 * reported once through onTrip. A condition whose query fails does not stop the run (a flaky
 * Prometheus must not end a game day) but is named in `notes`, so the report says it was not guarding.
 */
export class AbortWatch {
  readonly notes: string[] = [];
  private readonly queries = new Map<string, ReturnType<typeof parseMetricCondition>>();
  private readonly holdingSince = new Map<string, number>();
  private readonly history: { at: number; requests: number; errors: number }[] = [];
  private readonly prometheus: PrometheusClient;
  private readonly failing = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly conditions: readonly AbortCondition[],
    private readonly ctx: AbortWatchContext,
    private readonly onTrip: (trip: AbortTrip) => void,
  ) {
    for (const c of conditions) if (c.metric !== undefined) this.queries.set(c.id, parseMetricCondition(c.metric));
    this.prometheus = new PrometheusClient(ctx.endpoints.prometheus, 5000, ctx.endpoints.access?.prometheus);
  }

  start(): void {
    if (this.conditions.length === 0) return;
    const tick = () => {
      // The loop ends at the first trip, so onTrip is called at most once.
      this.running = this.poll(Date.now()).then((trip) => {
        if (this.stopped) return;
        if (trip) this.onTrip(trip);
        else this.timer = setTimeout(tick, this.ctx.pollIntervalMs ?? 1000);
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One look at every condition; the first that holds, if any. */
  async poll(now: number): Promise<AbortTrip | undefined> {
    if (this.ctx.loadTotals) this.remember(now, this.ctx.loadTotals());
    for (const c of this.conditions) {
      const seen = c.metric !== undefined ? await this.metricHolds(c, now) : this.loadRatioHolds(c, now);
      if (seen) return { id: c.id, at: new Date(now), evidence: seen };
    }
    return undefined;
  }

  /** What was seen once the metric has held for the condition's `for`; undefined until then. */
  private async metricHolds(c: AbortCondition, now: number): Promise<string | undefined> {
    const condition = this.queries.get(c.id)!;
    let samples;
    try {
      samples = await this.prometheus.query(condition.query);
    } catch (err) {
      // Not holding, not judged: the streak restarts once Prometheus answers again.
      this.holdingSince.delete(c.id);
      if (!this.failing.has(c.id)) {
        this.failing.add(c.id);
        this.notes.push(`abort[${c.id}] could not be checked while Prometheus failed: ${(err as Error).message}`);
      }
      return undefined;
    }
    const matching = samples.filter((s) => compare(s.value, condition.op!, condition.value!));
    if (matching.length === 0) {
      this.holdingSince.delete(c.id);
      return undefined;
    }
    const since = this.holdingSince.get(c.id) ?? now;
    this.holdingSince.set(c.id, since);
    if (now - since < c.forMs) return undefined;
    const shown = matching
      .slice(0, 3)
      .map((s) => `${formatValue(s.value)}${Object.keys(s.metric).length ? ` ${JSON.stringify(s.metric)}` : ""}`)
      .join(", ");
    return `${c.metric} held for ${((now - since) / 1000).toFixed(0)} s (for: ${c.for}): ${condition.query} = ${shown}`;
  }

  private remember(now: number, totals: { requests: number; errors: number }): void {
    this.history.push({ at: now, ...totals });
    const longest = Math.max(...this.conditions.map((c) => c.forMs));
    // Keep one sample at or before the longest window's start; drop the rest of what is older.
    while (this.history.length > 1 && this.history[1]!.at <= now - longest) this.history.shift();
  }

  /** What was seen once the load's error ratio over the last `for` reaches the threshold; undefined before the window is full. */
  private loadRatioHolds(c: AbortCondition, now: number): string | undefined {
    const latest = this.history[this.history.length - 1];
    const start = [...this.history].reverse().find((h) => h.at <= now - c.forMs);
    if (!latest || !start) return undefined;
    const requests = latest.requests - start.requests;
    const errors = latest.errors - start.errors;
    if (requests === 0 || errors / requests < c.loadErrorRatio!) return undefined;
    const seconds = ((latest.at - start.at) / 1000).toFixed(0);
    return `${errors} of ${requests} of the load's requests failed over the last ${seconds} s (${((100 * errors) / requests).toFixed(1)} %; loadErrorRatio: ${c.loadErrorRatio})`;
  }
}
