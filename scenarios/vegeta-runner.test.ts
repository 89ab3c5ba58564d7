import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { VegetaLoad } from "./vegeta-runner.js";
import { steady } from "./steady.js";
import { LoadSpec } from "../core/experiment-spec.js";
import { loadModel } from "../core/experiment-mapping.js";

describe("VegetaLoad", () => {
  let server: Server;
  let baseUrl: string;
  const seen: { url: string; traceparent: string | undefined; at: number }[] = [];

  beforeAll(async () => {
    // Every fifth request fails with a 503, so client-side error counting has a known truth.
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? "", traceparent: req.headers.traceparent as string | undefined, at: Date.now() });
      res.writeHead(seen.length % 5 === 0 ? 503 : 200).end("{}");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("should send the planned number of requests at the planned rate, each with its own traceparent", async () => {
    seen.length = 0;
    const plan = steady(loadModel(LoadSpec.parse({ rate: "20/s", duration: "3s" })));
    const started = Date.now();
    const collector = await new VegetaLoad(plan, { baseUrl }).run();
    const elapsed = Date.now() - started;

    expect(seen).toHaveLength(60);
    expect(elapsed).toBeGreaterThanOrEqual(2900);
    const traceIds = seen.map((s) => /^00-([0-9a-f]{32})-[0-9a-f]{16}-01$/.exec(s.traceparent ?? "")?.[1]);
    expect(new Set(traceIds).size).toBe(60);
    expect(
      collector
        .sentRequests()
        .map((r) => r.traceId)
        .sort(),
    ).toEqual([...traceIds].sort());
  });

  it("should count server errors on the client side and keep per-second buckets", async () => {
    seen.length = 0;
    const plan = steady(loadModel(LoadSpec.parse({ rate: "10/s", duration: "2s" })));
    const collector = await new VegetaLoad(plan, { baseUrl }).run();
    const result = collector.result(plan.scenario, baseUrl);

    expect(result.requests).toBe(20);
    expect(result.errors).toBe(4);
    expect(result.statusCodes).toEqual({ "200": 16, "503": 4 });
    expect(result.byRequest).toEqual({ "GET /analysis/{patient}": { requests: 20, errors: 4 } });
    expect(result.samples.reduce((n, s) => n + s.requests, 0)).toBe(20);
    expect(result.latency.p99).toBeGreaterThan(0);
  });

  it("should stop when aborted", async () => {
    const controller = new AbortController();
    const plan = steady(loadModel(LoadSpec.parse({ rate: "10/s", duration: "60s" })));
    setTimeout(() => controller.abort(), 1500);
    const started = Date.now();
    await new VegetaLoad(plan, { baseUrl, signal: controller.signal }).run();
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("should refuse to send load anywhere but loopback", () => {
    const plan = steady(loadModel(LoadSpec.parse({ rate: "1/s", duration: "1s" })));
    expect(() => new VegetaLoad(plan, { baseUrl: "http://10.0.0.5:8000" })).toThrow(/only sent to loopback/);
  });
});
