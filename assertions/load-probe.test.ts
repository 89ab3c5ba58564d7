import type { Endpoints } from "../core/environment.js";
import type { PathContext } from "./diagnosis/diagnosis.js";
import type { LoadRequest } from "./load-coverage.js";
import { LoadProbe } from "./load-probe.js";
import type { ProbeContext } from "./probe.js";

const t0 = new Date("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
/** 20 requests a second for 30 s; from 10 s to 13 s every one fails without an answer (a reset). */
const requests: LoadRequest[] = Array.from({ length: 600 }, (_, i) => {
  const sentMs = i * 50;
  const lost = sentMs >= 10_000 && sentMs < 13_000;
  return { traceId: `t${i}`, sentAt: at(sentMs), status: lost ? 0 : 200, latencyMs: lost ? 5 : sentMs >= 20_000 ? 2500 : 40 };
});
const ctx = (since: number): ProbeContext => ({ endpoints: {} as Endpoints, since: at(since), sentRequests: () => requests });

describe("LoadProbe", () => {
  it("should see the users' error ratio cross a threshold within a second of the answer that tipped it", async () => {
    const seen = (await new LoadProbe({ measure: "error_ratio", op: ">", value: 0.01, windowMs: 10_000 }).observe(ctx(0))).seen;
    expect(seen!.at).toEqual(at(11_000));
    expect(seen!.evidence.result).toMatch(/^error_ratio 0\.1 over the 10\.0 s to 2026-01-01T00:00:11\.000Z \(200 answers\); error_ratio ranged 0\.\.0\.3 /);
  });

  it("should see latency by percentile, and miss with the range it saw", async () => {
    const p99 = new LoadProbe({ measure: "p99_seconds", op: ">", value: 2, windowMs: 5000 });
    expect((await p99.observe(ctx(0))).seen!.at.getTime()).toBeGreaterThanOrEqual(at(22_000).getTime());
    const never = new LoadProbe({ measure: "error_ratio", op: ">", value: 0.7, windowMs: 5000 });
    const looked = await never.observe(ctx(5000));
    expect(looked.seen).toBeUndefined();
    expect(looked.miss!.result).toMatch(/error_ratio ranged 0\.\.0\.6 .*over \d+ windows/);
  });

  it("should prove its path alive only when the load sent something, and refuse to run without a load", async () => {
    const probe = new LoadProbe({ measure: "error_ratio", op: ">", value: 0.5, windowMs: 10_000 });
    const path = (from: number, to: number): PathContext => ({
      endpoints: {} as Endpoints,
      from: at(from),
      to: at(to),
      origin: t0,
      faults: [],
      maxGapMs: 10_000,
      sentRequests: () => requests,
    });
    expect((await probe.pathAlive(path(0, 5000))).alive).toBe(true);
    expect(await probe.pathAlive(path(40_000, 50_000))).toMatchObject({
      alive: false,
      detail: expect.stringMatching(/the load sent nothing between T\+0:40\.0 and T\+0:50\.0/),
    });
    await expect(probe.observe({ endpoints: {} as Endpoints, since: t0 })).rejects.toThrow(/no load/);
  });
});
