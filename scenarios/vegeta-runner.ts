import { once } from "node:events";
import type { Writable } from "node:stream";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { cachedTool } from "../core/tool-binaries.js";
import { LoadCollector, type VegetaResult } from "./load-collector.js";
import { maxWorkers, totalDurationMs, vegetaRate, type LoadPlan, type LoadStage } from "./load-plan.js";
import { resolveRequests } from "./request-sources.js";
import { TargetStream, traceIdOf } from "./target-stream.js";

export interface LoadRunOptions {
  baseUrl: string;
  patients?: number;
  seed?: number;
  signal?: AbortSignal;
  /** Called for every result as it streams in, e.g. for live progress. */
  onResult?: (result: VegetaResult) => void;
}

/**
 * Drives a load plan with the real Vegeta binary: one `vegeta attack` per stage, targets streamed
 * to its stdin (each with its own traceparent), results streamed back through `vegeta encode`.
 * Every stage has a rate and a duration, so the whole run is bounded and stops by itself.
 */
export class VegetaLoad {
  readonly collector = new LoadCollector();
  private readonly targets: TargetStream;
  private readonly vegeta = cachedTool("vegeta");

  constructor(
    readonly plan: LoadPlan,
    private readonly options: LoadRunOptions,
  ) {
    if (!/^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(options.baseUrl)) {
      throw new Error(`load target ${options.baseUrl}: load is only sent to loopback addresses (127.0.0.0/8, [::1]) or hosts the harness created`);
    }
    const { requests, errors } = resolveRequests(plan.requests, plan.params);
    if (errors.length > 0) throw new Error(errors.join("\n"));
    this.targets = new TargetStream({ baseUrl: options.baseUrl, requests, patients: options.patients ?? 500, seed: options.seed ?? 42 });
  }

  /** Runs every stage in order; resolves when the last one ends or the signal aborts. */
  async run(): Promise<LoadCollector> {
    const deadline = Date.now() + totalDurationMs(this.plan) + this.plan.timeoutMs + 30_000;
    for (const [index, stage] of this.plan.stages.entries()) {
      if (this.options.signal?.aborted || Date.now() > deadline) break;
      await this.runStage(stage, `${this.plan.scenario}-${index + 1}`);
    }
    return this.collector;
  }

  private async runStage(stage: LoadStage, name: string): Promise<void> {
    const closed = stage.ratePerSecond === 0;
    const rate = vegetaRate(stage);
    // A hung API must not make the load generator grow without bound.
    const workers = maxWorkers(stage, this.plan.timeoutMs);
    // Plain spawn rather than execa: Vegeta closes its stdin mid-write when the stage ends, and
    // that EPIPE is the normal end of feeding, which must not surface as a failure.
    const attack = spawn(
      this.vegeta,
      [
        "attack",
        "-format=json",
        "-lazy",
        `-rate=${rate}`,
        ...(closed ? [`-workers=${workers}`] : []),
        `-duration=${stage.durationMs}ms`,
        `-timeout=${this.plan.timeoutMs}ms`,
        `-max-workers=${workers}`,
        "-max-body=0",
        `-name=${name}`,
      ],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    const encode = spawn(this.vegeta, ["encode", "--to", "json"], { stdio: ["pipe", "pipe", "pipe"] });
    attack.stdout.pipe(encode.stdin);
    let stderr = "";
    attack.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const stop = () => attack.kill("SIGINT");
    this.options.signal?.addEventListener("abort", stop, { once: true });
    const attackExit = once(attack, "close") as Promise<[number | null, NodeJS.Signals | null]>;
    const feeding = this.feed(attack.stdin);
    try {
      for await (const line of createInterface({ input: encode.stdout })) {
        if (!line) continue;
        const result = JSON.parse(line) as VegetaResult;
        const traceId = traceIdOf(result.url);
        this.collector.add(result, traceId, this.targets.templateOf(traceId));
        this.options.onResult?.(result);
      }
      const [code] = await attackExit;
      await feeding;
      if (code !== 0 && !this.options.signal?.aborted) throw new Error(`vegeta attack (${name}) exited with ${code}: ${stderr.trim()}`);
    } finally {
      this.targets.forgetUnanswered();
      this.options.signal?.removeEventListener("abort", stop);
      if (attack.exitCode === null) attack.kill("SIGKILL");
    }
  }

  /** Writes targets as fast as Vegeta reads them (it reads one per request with -lazy). */
  private async feed(stdin: Writable): Promise<void> {
    let open = true;
    let wake: () => void = () => undefined;
    const closed = () => {
      open = false;
      wake();
    };
    stdin.on("error", closed);
    stdin.on("close", closed);
    stdin.on("drain", () => wake());
    while (open) {
      if (!stdin.write(`${this.targets.next()}\n`)) await new Promise<void>((resolve) => (wake = resolve));
    }
  }
}
