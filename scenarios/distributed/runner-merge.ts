import { isFailure, LoadCollector, type VegetaResult } from "../load-collector.js";
import { traceIdOf } from "../target-stream.js";

/** What became of one runner and its share of the load. */
export interface RunnerFigures {
  index: number;
  expectedRequests: number;
  requests: number;
  errors: number;
  /** When it left the shared start barrier, by its own clock. */
  startedAt?: string;
  state: "running" | "completed" | "failed";
  reason?: string;
}

/** A line the runner's entrypoint writes about itself, between Vegeta's result lines. */
interface RunnerEvent {
  runner: number;
  event: "started" | "stage" | "done";
  at?: number;
  stage?: string;
  code?: number;
}

interface RunnerState extends RunnerFigures {
  lastMessage?: string;
  done: boolean;
  failedStages: string[];
}

/**
 * Merges the runners' result streams, line by line as they arrive, into one LoadCollector: the
 * same aggregate (histogram, status codes, one-second series, trace ids) local load makes, so the
 * report and the SLOs read it unchanged. Nothing per line is kept beyond what the collector keeps.
 */
export class RunnerMerge {
  readonly collector = new LoadCollector();
  private readonly runners: RunnerState[];

  constructor(
    count: number,
    expectedPerRunner: number,
    private readonly templateOf: (url: string, traceId: string | undefined) => string | undefined,
    private readonly onResult?: (result: VegetaResult) => void,
  ) {
    this.runners = Array.from({ length: count }, (_, index) => ({
      index,
      expectedRequests: Math.round(expectedPerRunner),
      requests: 0,
      errors: 0,
      state: "running",
      done: false,
      failedStages: [],
    }));
  }

  line(index: number, text: string): void {
    const runner = this.runners[index];
    if (!runner || !text.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      runner.lastMessage = text.slice(0, 300);
      return;
    }
    const record = parsed as Partial<VegetaResult & RunnerEvent>;
    if (typeof record.attack === "string" && typeof record.code === "number") {
      const result = record as VegetaResult;
      const traceId = traceIdOf(result.url);
      this.collector.add(result, traceId, this.templateOf(result.url, traceId));
      runner.requests++;
      if (isFailure(result.code)) runner.errors++;
      this.onResult?.(result);
    } else if (record.event === "started" && typeof record.at === "number") runner.startedAt = new Date(record.at).toISOString();
    else if (record.event === "stage" && record.code !== 0) runner.failedStages.push(`${record.stage} exited ${record.code}`);
    else if (record.event === "done") runner.done = true;
    else runner.lastMessage = text.slice(0, 300);
  }

  /** Its log ended: completed only if it said so and every stage ran; otherwise failed, with why. */
  ended(index: number, podState: string): void {
    const runner = this.runners[index]!;
    if (runner.state !== "running") return;
    if (runner.done && runner.failedStages.length === 0) {
      runner.state = "completed";
      return;
    }
    this.fail(index, [podState, ...runner.failedStages, runner.lastMessage ? `last line: ${runner.lastMessage}` : ""].filter(Boolean).join("; "));
  }

  fail(index: number, reason: string): void {
    const runner = this.runners[index]!;
    if (runner.state !== "running") return;
    runner.state = "failed";
    runner.reason = reason;
  }

  pending(): number[] {
    return this.runners.filter((r) => r.state === "running").map((r) => r.index);
  }

  figures(): RunnerFigures[] {
    return this.runners.map(({ index, expectedRequests, requests, errors, startedAt, state, reason }) => ({
      index,
      expectedRequests,
      requests,
      errors,
      ...(startedAt ? { startedAt } : {}),
      state,
      ...(reason ? { reason } : {}),
    }));
  }

  /** Between the first and the last runner to leave the start barrier; undefined until two have. */
  startSkewMs(): number | undefined {
    const starts = this.runners.flatMap((r) => (r.startedAt ? [Date.parse(r.startedAt)] : []));
    return starts.length < 2 ? undefined : Math.max(...starts) - Math.min(...starts);
  }
}
