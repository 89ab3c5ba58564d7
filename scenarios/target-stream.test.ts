import { LoadSpec } from "../core/experiment-spec.js";
import { loadModel } from "../core/experiment-mapping.js";
import { resolveRequests } from "./request-sources.js";
import { TargetStream, traceIdOf } from "./target-stream.js";

interface Target {
  method: string;
  url: string;
  header: Record<string, string[]>;
  body?: string;
}

function stream(load: Record<string, unknown>, seed = 42): TargetStream {
  const model = loadModel(LoadSpec.parse({ duration: "1m", ...load }));
  const { requests, errors } = resolveRequests(model.requests, model.params, {});
  expect(errors).toEqual([]);
  return new TargetStream({ baseUrl: "http://127.0.0.1:1", requests, patients: 500, seed });
}

const take = (s: TargetStream, n: number) => Array.from({ length: n }, () => JSON.parse(s.next()) as Target);
/** What a request is, without its own trace id. */
const shape = (t: Target) => `${t.method} ${t.url.replace(/[?&]slo_harness_trace=.*$/, "")} ${t.body ?? ""}`;

describe("TargetStream", () => {
  it("should write Vegeta's JSON targets: method, url, header lists and a base64 body", () => {
    const [target] = take(stream({ requests: [{ method: "POST", path: "/orders", headers: { "X-Tenant": "lab-1" }, body: "hello" }] }), 1);
    expect(target!.method).toBe("POST");
    expect(target!.url).toMatch(/^http:\/\/127\.0\.0\.1:1\/orders\?slo_harness_trace=[0-9a-f]{32}$/);
    expect(target!.header["X-Tenant"]).toEqual(["lab-1"]);
    expect(target!.header.traceparent).toEqual([expect.stringMatching(new RegExp(`^00-${traceIdOf(target!.url)}-[0-9a-f]{16}-01$`))]);
    expect(Buffer.from(target!.body!, "base64").toString()).toBe("hello");
  });

  it("should send the same requests for the same seed, and others for another", () => {
    const load = { params: { n: { range: { from: 1, to: 1000 } } }, requests: [{ path: "/a/{n}" }, { path: "/b/{patient}", weight: 2 }] };
    const first = take(stream(load), 50).map(shape);
    expect(take(stream(load), 50).map(shape)).toEqual(first);
    expect(take(stream(load, 7), 50).map(shape)).not.toEqual(first);
  });

  it("should pick templates by weight and never one of weight 0", () => {
    const targets = take(stream({ requests: [{ path: "/three", weight: 3 }, { path: "/one" }, { path: "/never", weight: 0 }] }), 10_000);
    const count = (p: string) => targets.filter((t) => new URL(t.url).pathname === p).length;
    expect(count("/never")).toBe(0);
    expect(count("/three") / 10_000).toBeGreaterThan(0.72);
    expect(count("/three") / 10_000).toBeLessThan(0.78);
  });

  it("should draw every list value, keep range ends, and give a placeholder used twice one value per request", () => {
    const targets = take(
      stream({
        params: { n: { range: { from: 1, to: 3 } }, c: { list: ["x", 2] } },
        requests: [{ method: "POST", path: "/a/{n}/{c}", body: { n: "{n}", again: "{n}" } }],
      }),
      300,
    );
    const bodies = targets.map((t) => JSON.parse(Buffer.from(t.body!, "base64").toString()) as { n: number; again: number });
    expect(new Set(bodies.map((b) => b.n))).toEqual(new Set([1, 2, 3]));
    expect(bodies.every((b) => b.again === b.n)).toBe(true);
    expect(targets.every((t, i) => new URL(t.url).pathname.startsWith(`/a/${bodies[i]!.n}/`))).toBe(true);
    expect(new Set(targets.map((t) => new URL(t.url).pathname.split("/")[3]))).toEqual(new Set(["x", "2"]));
  });

  it("should escape values: encoded in a path, valid JSON inside a body's strings", () => {
    const [target] = take(
      stream({ params: { q: { list: ['a/b "c" ü\n'] } }, requests: [{ method: "POST", path: "/s/{q}", body: { text: "say {q}!", raw: "{q}" } }] }),
      1,
    );
    expect(new URL(target!.url).pathname).toBe(`/s/${encodeURIComponent('a/b "c" ü\n')}`);
    expect(JSON.parse(Buffer.from(target!.body!, "base64").toString())).toEqual({ text: 'say a/b "c" ü\n!', raw: 'a/b "c" ü\n' });
  });

  it("should remember which template a request came from until its result is counted", () => {
    const s = stream({
      requests: [
        { name: "one", path: "/1" },
        { name: "two", path: "/2" },
      ],
    });
    const [target] = take(s, 1);
    const id = traceIdOf(target!.url);
    expect(s.templateOf(id)).toBe(new URL(target!.url).pathname === "/1" ? "one" : "two");
    expect(s.templateOf(id)).toBeUndefined();
  });
});
