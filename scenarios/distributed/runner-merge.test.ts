import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { LoadSpec } from "../../core/experiment-spec.js";
import { loadModel } from "../../core/experiment-mapping.js";
import { cachedTool } from "../../core/tool-binaries.js";
import { repoRoot } from "../../core/paths.js";
import { planLoad } from "../scenario-registry.js";
import { RunnerMerge } from "./runner-merge.js";
import { runnerTargets } from "./runner-targets.js";
import { expectedRequests, runnerStages, splitPlan } from "./split-plan.js";

const ENTRYPOINT = path.join(repoRoot, "env", "images", "load-runner", "entrypoint.sh");

/** The runner image's entrypoint as its pod runs it, here with the cached Vegeta, its stdout fed to the merge line by line. */
async function runRunner(env: Record<string, string>, merge: RunnerMerge, index: number): Promise<number | null> {
  const child = spawn("bash", [ENTRYPOINT], {
    env: { PATH: `${path.dirname(cachedTool("vegeta"))}:${process.env.PATH}`, JOB_COMPLETION_INDEX: String(index), ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  for await (const line of createInterface({ input: child.stdout })) merge.line(index, line);
  return new Promise((resolve) => child.on("close", resolve));
}

describe("RunnerMerge with the load-runner entrypoint", () => {
  let server: Server;
  let baseUrl: string;
  const seen: { url: string; traceparent: string }[] = [];

  beforeAll(async () => {
    // Every seventh request fails, so the merged error count has a known truth.
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? "", traceparent: String(req.headers.traceparent) });
      res.writeHead(seen.length % 7 === 0 ? 503 : 200).end("{}");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("should merge 3 runners started together into one result whose count is the sum of theirs and of what the server saw", async () => {
    const plan = planLoad(
      loadModel(
        LoadSpec.parse({
          rate: "30/s",
          duration: "3s",
          requests: [
            { name: "list", path: "/patients", weight: 1 },
            { name: "one", path: "/patients/{patient}", weight: 1 },
          ],
        }),
      ),
    );
    const share = splitPlan(plan, 3);
    const targets = runnerTargets(plan, baseUrl, 40);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "load-runner-")), "targets.jsonl");
    writeFileSync(file, targets.text);
    const merge = new RunnerMerge(3, expectedRequests(share), targets.templateOf);
    const env = { START_AT_MS: String(Date.now() + 1500), STAGES: runnerStages(share), TIMEOUT_MS: "2000", RUNNERS: "3", TARGETS: file };
    const codes = await Promise.all([0, 1, 2].map((i) => runRunner(env, merge, i)));
    for (const i of [0, 1, 2]) merge.ended(i, `runner ${i} exited ${codes[i]}`);

    const figures = merge.figures();
    expect(figures.map((f) => [f.state, f.expectedRequests])).toEqual([0, 1, 2].map(() => ["completed", 30]));
    const { requests, errors } = merge.collector.totals();
    expect(requests).toBe(figures.reduce((sum, f) => sum + f.requests, 0));
    expect(errors).toBe(figures.reduce((sum, f) => sum + f.errors, 0));
    expect(requests).toBe(seen.length);
    expect(requests).toBeGreaterThanOrEqual(87);
    expect(errors).toBe(Math.floor(seen.length / 7));
    expect(merge.startSkewMs()).toBeLessThan(500);
    // Every request its own trace id, in the URL and the traceparent alike, and known to the merge for fromLoad probes.
    const ids = seen.map((s) => /^00-([0-9a-f]{32})-[0-9a-f]{16}-01$/.exec(s.traceparent)?.[1]);
    expect(new Set(ids).size).toBe(seen.length);
    expect(seen.every((s, i) => s.url.endsWith(`slo_harness_trace=${ids[i]}`))).toBe(true);
    expect(new Set(merge.collector.sentRequests().map((r) => r.traceId))).toEqual(new Set(ids));
    const byRequest = merge.collector.byTemplate();
    expect(byRequest.list!.requests + byRequest.one!.requests).toBe(requests);
    expect(merge.collector.result("steady", baseUrl).samples.reduce((sum, s) => sum + s.requests, 0)).toBe(requests);
  }, 20_000);

  it("should report a runner whose stream ends without its done line as failed, with its share and its last words", () => {
    const merge = new RunnerMerge(2, 100, () => undefined);
    merge.line(0, JSON.stringify({ runner: 0, event: "started", at: 1_000 }));
    merge.line(1, JSON.stringify({ runner: 1, event: "started", at: 1_040 }));
    for (const index of [0, 1])
      merge.line(
        index,
        JSON.stringify({ attack: "steady-1", seq: 0, code: 200, timestamp: "2026-01-01T00:00:01Z", latency: 5e6, error: "", url: "http://a/" }),
      );
    merge.line(1, "vegeta: error reading targets: unexpected EOF");
    merge.line(0, JSON.stringify({ runner: 0, event: "stage", stage: "steady-1", code: 0 }));
    merge.line(0, JSON.stringify({ runner: 0, event: "done", at: 4_000 }));
    merge.ended(0, "pod r-0 Succeeded");
    merge.ended(1, "pod r-1 Failed: Evicted");
    expect(merge.figures()).toEqual([
      { index: 0, expectedRequests: 100, requests: 1, errors: 0, startedAt: new Date(1_000).toISOString(), state: "completed" },
      {
        index: 1,
        expectedRequests: 100,
        requests: 1,
        errors: 0,
        startedAt: new Date(1_040).toISOString(),
        state: "failed",
        reason: "pod r-1 Failed: Evicted; last line: vegeta: error reading targets: unexpected EOF",
      },
    ]);
    expect(merge.startSkewMs()).toBe(40);
    expect(merge.collector.totals().requests).toBe(2);
  });

  it("should fail a runner one of whose stages exited non-zero, even though it said done", () => {
    const merge = new RunnerMerge(1, 10, () => undefined);
    merge.line(0, JSON.stringify({ runner: 0, event: "stage", stage: "ramp-2", code: 1 }));
    merge.line(0, JSON.stringify({ runner: 0, event: "done", at: 1 }));
    merge.ended(0, "pod r-0 Succeeded");
    expect(merge.figures()[0]).toMatchObject({ state: "failed", reason: "pod r-0 Succeeded; ramp-2 exited 1" });
  });
});
