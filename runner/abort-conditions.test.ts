import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Endpoints } from "../core/environment.js";
import type { AbortCondition } from "../core/experiment-model.js";
import { AbortWatch } from "./abort-conditions.js";
import { loadExperiment } from "./experiment-loader.js";
import { describePlan, planOf } from "./dry-run.js";

/** A Prometheus query API stand-in: answers each instant query with the value the test sets, or fails. */
let answer: { value: number } | "empty" | "error" = "empty";
let prometheus: Server;
let endpoints: Endpoints;

beforeAll(async () => {
  prometheus = createServer((_req, res) => {
    if (answer === "error") return void res.writeHead(503).end("overloaded");
    const result = answer === "empty" ? [] : [{ metric: { job: "checkout-api" }, value: [Date.now() / 1000, String(answer.value)] }];
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "success", data: { resultType: "vector", result } }));
  });
  await new Promise<void>((resolve) => prometheus.listen(0, "127.0.0.1", resolve));
  endpoints = { prometheus: `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}` } as Endpoints;
});

afterAll(() => new Promise<void>((resolve) => prometheus.close(() => resolve())));

const metric = (forMs: number): AbortCondition => ({
  id: "server-failing",
  metric: "job:checkout_api_error_ratio:rate1m > 0.5",
  for: `${forMs / 1000}s`,
  forMs,
});

describe("AbortWatch", () => {
  it("should trip a metric condition only once it has held for its `for`, and start over when it stops holding", async () => {
    const watch = new AbortWatch([metric(10_000)], { endpoints }, () => undefined);
    answer = { value: 0.9 };
    expect(await watch.poll(0)).toBeUndefined();
    expect(await watch.poll(9_000)).toBeUndefined();
    answer = { value: 0.2 };
    expect(await watch.poll(10_000)).toBeUndefined();
    answer = { value: 0.9 };
    expect(await watch.poll(11_000)).toBeUndefined();
    const trip = await watch.poll(21_000);
    expect(trip).toEqual({
      id: "server-failing",
      at: new Date(21_000),
      evidence: 'job:checkout_api_error_ratio:rate1m > 0.5 held for 10 s (for: 10s): job:checkout_api_error_ratio:rate1m = 0.9 {"job":"checkout-api"}',
    });
  });

  it("should not trip while Prometheus fails, and say once that the condition was not guarding", async () => {
    const watch = new AbortWatch([metric(0)], { endpoints }, () => undefined);
    answer = "error";
    expect(await watch.poll(0)).toBeUndefined();
    expect(await watch.poll(1000)).toBeUndefined();
    expect(watch.notes).toEqual([expect.stringMatching(/^abort\[server-failing\] could not be checked while Prometheus failed: .*503/)]);
    answer = "empty";
    expect(await watch.poll(2000)).toBeUndefined();
  });

  it("should measure the load's error ratio over the last `for`, not since the start", async () => {
    let totals = { requests: 0, errors: 0 };
    const ratio: AbortCondition = { id: "users-failing", loadErrorRatio: 0.5, for: "10s", forMs: 10_000 };
    const watch = new AbortWatch([ratio], { endpoints, loadTotals: () => totals }, () => undefined);
    // 100 s of healthy load: a failure-only tail is diluted since the start, not over the last 10 s.
    for (let t = 0; t <= 100_000; t += 1000) {
      totals = { requests: totals.requests + 10, errors: totals.errors };
      expect(await watch.poll(t)).toBeUndefined();
    }
    for (let t = 101_000; t < 105_000; t += 1000) {
      totals = { requests: totals.requests + 10, errors: totals.errors + 10 };
      expect(await watch.poll(t)).toBeUndefined();
    }
    totals = { requests: totals.requests + 10, errors: totals.errors + 10 };
    // Half of the last 10 s failed: the threshold is reached, not exceeded, and that is enough.
    expect(await watch.poll(105_000)).toEqual({
      id: "users-failing",
      at: new Date(105_000),
      evidence: "50 of 100 of the load's requests failed over the last 10 s (50.0 %; loadErrorRatio: 0.5)",
    });
  });

  it("should call onTrip once when started, and stop polling after", async () => {
    answer = { value: 1 };
    const trips: string[] = [];
    const watch = new AbortWatch([metric(0)], { endpoints, pollIntervalMs: 20 }, (t) => trips.push(t.id));
    watch.start();
    await new Promise((r) => setTimeout(r, 200));
    await watch.stop();
    expect(trips).toEqual(["server-failing"]);
  });
});

describe("abort: in an experiment file", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-abort-"));
  const load = (name: string, abort: string, withLoad = true) => {
    const file = path.join(dir, name);
    writeFileSync(
      file,
      `title: t\n${withLoad ? "load: { rate: 5/s, duration: 30s }\n" : ""}abort:\n${abort}\nexpectations:\n  - { id: e, metric: "up > 0", within: 10s of run-start }\n`,
    );
    return () => loadExperiment(file);
  };

  it("should name the condition and the fix for PromQL without a comparison, a ratio without load, and two ids alike", () => {
    expect(load("no-comparison.yaml", '  - { id: a, metric: "rate(x[1m])" }')).toThrow(
      /no-comparison\.yaml: abort\[a\]\.metric: expected PromQL ending in a comparison with a number/,
    );
    expect(load("no-load.yaml", "  - { id: users, loadErrorRatio: 0.5 }", false)).toThrow(
      /no-load\.yaml: abort\[users\]\.loadErrorRatio: it measures the load's own requests, and the experiment has no load; add a load: section or use metric:/,
    );
    expect(load("twice.yaml", '  - { id: a, metric: "up == 0" }\n  - { id: a, loadErrorRatio: 0.9 }')).toThrow(/twice\.yaml: abort\[a\]: the id is used twice/);
  });

  it("should want exactly one of metric or loadErrorRatio, and a fraction for the ratio", () => {
    expect(load("both.yaml", '  - { id: a, metric: "up == 0", loadErrorRatio: 0.5 }')).toThrow(/exactly one of metric .* or loadErrorRatio/);
    expect(load("percent.yaml", "  - { id: a, loadErrorRatio: 50 }")).toThrow(/abort.*loadErrorRatio.*expected a fraction above 0 and at most 1, e\.g\. 0\.5/);
  });

  it("should load a good one with its window", () => {
    const loaded = load("good.yaml", '  - { id: a, metric: "job:x:ratio > 0.5", for: 30s }\n  - { id: b, loadErrorRatio: 0.25 }')();
    expect(loaded.experiment.abort).toEqual([
      { id: "a", metric: "job:x:ratio > 0.5", for: "30s", forMs: 30_000 },
      { id: "b", loadErrorRatio: 0.25, for: "10s", forMs: 10_000 },
    ]);
    const plan = describePlan(planOf(loaded, "local"));
    expect(plan).toContain("  abort a: roll every fault back and end the run when job:x:ratio > 0.5 holds for 30s");
    expect(plan).toContain("  abort b: roll every fault back and end the run when 25 % or more of the load's requests fail over 10s");
  });
});
