import { LocalEnvironment } from "../env/local/local-environment.js";
import type { StartedLocalEnvironment } from "../env/local/started-local-environment.js";
import { analysisRequest, faultContext, faultPlan } from "../test/fault-context.js";
import { NetworkInjector } from "./network-injector.js";
import { atAddress } from "./utils/pg-sessions.js";
import { selectOneMs } from "./utils/round-trip.js";
import { listenAddress, ToxiproxyClient } from "./utils/toxiproxy-client.js";

const injector = new NetworkInjector();

describe("NetworkInjector params", () => {
  it("should want a duration string for latency, naming the fault and the field", () => {
    expect(() => injector.describe(faultPlan({ faultId: "db-slow", params: { toxic: "latency", latency: 200 } }))).toThrow(
      'faults[db-slow].with.latency: expected a duration like "200ms" or "5s", got 200',
    );
  });

  it("should name the four toxics when the toxic is missing", () => {
    expect(() => injector.describe(faultPlan({ faultId: "db-slow", params: { latency: "200ms" } }))).toThrow(
      'faults[db-slow].with.toxic: expected toxic "latency", "timeout", "reset_peer" or "bandwidth", got nothing',
    );
  });

  it("should keep toxicity a probability", () => {
    expect(() => injector.describe(faultPlan({ faultId: "f", params: { toxic: "reset_peer", toxicity: 2 } }))).toThrow(
      "faults[f].with.toxicity: expected a probability from 0 to 1, got 2",
    );
  });

  it("should describe the toxic with its defaults", () => {
    expect(injector.describe(faultPlan({ faultId: "db-slow", params: { toxic: "latency", latency: "200ms" }, maxDurationMs: 90_000 }))).toBe(
      'network on Toxiproxy proxy "postgres": add toxic latency (latency 200ms, jitter 0ms, downstream, toxicity 1) for at most 90s, then measure it through the proxy; rollback deletes the toxic',
    );
  });
});

describe("NetworkInjector against real Toxiproxy between the API and PostgreSQL", () => {
  let env: StartedLocalEnvironment;
  let api: string;
  let toxiproxy: ToxiproxyClient;
  let viaProxy: string;

  beforeAll(async () => {
    env = await new LocalEnvironment().withDbProxy().start();
    api = env.getEndpoints().api;
    toxiproxy = new ToxiproxyClient(env.getEndpoints().toxiproxy!);
    const listen = listenAddress(await toxiproxy.getProxy("postgres"));
    viaProxy = atAddress(env.getEndpoints().postgres, listen.host, listen.port);
    expect((await analysisRequest(api)).status).toBe(200);
  });

  afterAll(async () => {
    await env?.stop();
  });

  it.each([
    ["downstream", "100ms", 100],
    ["upstream", "300ms", 300],
  ])("should add %s latency of %s, measured within 10 %% through the proxy, and take it away on rollback", async (direction, latency, requestedMs) => {
    const direct = await selectOneMs(env.getEndpoints().postgres);
    const before = await selectOneMs(viaProxy);
    const apiBefore = await analysisRequest(api);
    const ctx = faultContext(env, { faultId: "db-slow", params: { toxic: "latency", latency, direction } });
    const handle = await injector.inject(ctx);
    let during: number;
    let apiDuring: Awaited<ReturnType<typeof analysisRequest>>;
    try {
      expect(handle.effectVerified).toBe(true);
      expect(handle.evidence).toContain(`latency (latency ${latency}, jitter 0ms, ${direction}, toxicity 1)`);
      during = await selectOneMs(viaProxy);
      apiDuring = await analysisRequest(api);
    } finally {
      await handle.rollback();
    }
    const added = during - direct;
    console.log(
      `network latency ${direction}: requested ${requestedMs} ms, measured ${added.toFixed(1)} ms added (proxy ${during.toFixed(1)} ms, direct ${direct.toFixed(1)} ms); API ${apiBefore.ms} -> ${apiDuring.ms} ms`,
    );
    expect(Math.abs(added - requestedMs)).toBeLessThanOrEqual(requestedMs * 0.1);
    // Connecting and querying take several round trips, each one delayed.
    expect(apiDuring.status).toBe(200);
    expect(apiDuring.ms - apiBefore.ms).toBeGreaterThan(requestedMs);
    expect(await selectOneMs(viaProxy)).toBeLessThan(before + 10);
    expect(await toxiproxy.listToxics("postgres")).toEqual([]);
  });

  it("should stall the API's database connections with a timeout toxic, so requests fail after the API's connect timeout", async () => {
    const handle = await injector.inject(faultContext(env, { faultId: "db-stalled", params: { toxic: "timeout" } }));
    let during: Awaited<ReturnType<typeof analysisRequest>>;
    try {
      expect(handle.effectVerified).toBe(true);
      expect(handle.evidence).toMatch(/a new connection through the proxy got nowhere: /);
      during = await analysisRequest(api);
    } finally {
      await handle.rollback();
    }
    expect(during.status).toBe(503);
    expect(during.ms).toBeGreaterThan(2500);
    expect((await analysisRequest(api)).status).toBe(200);
  });

  it("should reset the API's database connections with reset_peer", async () => {
    const handle = await injector.inject(faultContext(env, { faultId: "db-reset", params: { toxic: "reset_peer" } }));
    let during: Awaited<ReturnType<typeof analysisRequest>>;
    try {
      expect(handle.effectVerified).toBe(true);
      during = await analysisRequest(api);
    } finally {
      await handle.rollback();
    }
    expect(during.status).toBe(503);
    expect((await analysisRequest(api)).status).toBe(200);
  });

  it("should limit bandwidth to the requested rate", async () => {
    const handle = await injector.inject(faultContext(env, { faultId: "db-thin", params: { toxic: "bandwidth", rate: 32 } }));
    await handle.rollback();
    console.log(`network bandwidth: ${handle.evidence}`);
    expect(handle.effectVerified).toBe(true);
    const measured = Number(/at ([\d.]+) KB\/s/.exec(handle.evidence)?.[1]);
    expect(measured).toBeGreaterThan(32 * 0.8);
    expect(measured).toBeLessThanOrEqual(32 * 1.1);
  });

  it("should journal the toxic before adding it, and not journal it as outstanding after rollback", async () => {
    const ctx = faultContext(env, { faultId: "db-slow", params: { toxic: "latency", latency: "10ms" } });
    const handle = await injector.inject(ctx);
    expect(ctx.journal.outstanding()[0]?.undo).toEqual([
      { kind: "toxiproxy-delete-toxic", apiUrl: env.getEndpoints().toxiproxy, proxy: "postgres", toxic: "slo-harness-db-slow" },
    ]);
    await handle.rollback();
    await handle.rollback();
    expect(ctx.journal.outstanding()).toEqual([]);
  });

  it("should name the proxies there are when the target is not one of them", async () => {
    const ctx = faultContext(env, { faultId: "cache-slow", target: "redis", params: { toxic: "latency", latency: "10ms" } });
    await expect(injector.inject(ctx)).rejects.toThrow(
      /^faults\[cache-slow\]\.target: Toxiproxy at http:\/\/127\.0\.0\.1:\d+ has no proxy "redis"; it has "postgres"$/,
    );
    expect(ctx.journal.outstanding()).toEqual([]);
  });

  it("should say how to get Toxiproxy when the environment has none", async () => {
    const ctx = faultContext(env, { faultId: "db-slow", params: { toxic: "latency", latency: "10ms" } });
    ctx.endpoints = { ...ctx.endpoints, toxiproxy: undefined };
    await expect(injector.inject(ctx)).rejects.toThrow(
      "faults[db-slow]: the network injector needs Toxiproxy between the API and PostgreSQL, and this environment has none; set env.options.dbProxy: true (local provider) or use an environment with Toxiproxy",
    );
  });
});
