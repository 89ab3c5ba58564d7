import { LoadSpec } from "./experiment-spec.js";
import { loadModel } from "./experiment-mapping.js";

/** Each issue as "field.path: message", the way the loader words it after the file name. */
function issues(load: Record<string, unknown>): string[] {
  const parsed = LoadSpec.safeParse({ duration: "1m", ...load });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("load.requests", () => {
  it("should keep a path alone, or nothing, as one GET of that path", () => {
    expect(loadModel(LoadSpec.parse({ duration: "1m" })).requests).toEqual([
      { name: "GET /analysis/{patient}", method: "GET", path: "/analysis/{patient}", headers: {}, weight: 1, params: {} },
    ]);
    expect(loadModel(LoadSpec.parse({ duration: "1m", path: "/health" })).requests.map((r) => r.path)).toEqual(["/health"]);
  });

  it("should default method to GET and weight to 1, resolve files against the experiment's folder and tell a JSON body from a file", () => {
    const load = loadModel(
      LoadSpec.parse({
        duration: "1m",
        params: { id: { csv: "data/ids.csv", column: "id" } },
        requests: [
          { path: "/a/{id}", headers: { Authorization: { file: "secrets/token" } } },
          { name: "upload", method: "PUT", path: "/b", body: { file: "payload.bin" }, weight: 2 },
          { method: "POST", path: "/c", body: { file: 3, kind: "json" } },
        ],
      }),
      "/experiments",
    );
    expect(load.params).toEqual({ id: { csv: "/experiments/data/ids.csv", column: "id" } });
    expect(load.requests[0]).toMatchObject({
      name: "GET /a/{id}",
      method: "GET",
      weight: 1,
      headers: { Authorization: { file: "/experiments/secrets/token" } },
    });
    expect(load.requests[1]).toMatchObject({ name: "upload", body: { file: "/experiments/payload.bin" }, weight: 2 });
    expect(load.requests[2]!.body).toEqual({ json: { file: 3, kind: "json" } });
  });

  it("should refuse path and requests together", () => {
    expect(issues({ path: "/a", requests: [{ path: "/b" }] })).toEqual([
      "requests: give path or requests, not both: path is one GET template, requests a weighted list",
    ]);
  });

  it("should refuse a credential header written inline, naming the header and the fix", () => {
    for (const name of ["Authorization", "Cookie", "X-Api-Key", "X-Auth-Token"]) {
      expect(issues({ requests: [{ path: "/a", headers: { [name]: "Bearer abc" } }] })).toEqual([
        `requests.0.headers: ${name} is a credential header, and a committed experiment must not hold a credential: give { env: NAME } or { file: PATH } instead of the value`,
      ]);
    }
  });

  it("should take a credential header from the environment, a file, or a CSV column of per-user tokens", () => {
    expect(issues({ requests: [{ path: "/a", headers: { Authorization: { env: "TOKEN" }, Cookie: { file: "cookie.txt" } } }] })).toEqual([]);
    expect(
      issues({ params: { token: { csv: "users.csv", column: "token" } }, requests: [{ path: "/a", headers: { Authorization: "Bearer {token}" } }] }),
    ).toEqual([]);
    expect(issues({ params: { token: { list: ["abc"] } }, requests: [{ path: "/a", headers: { Authorization: "Bearer {token}" } }] })).toHaveLength(1);
  });

  it("should name an unknown placeholder in a path, a header or a JSON body, with the parameters known there", () => {
    expect(
      issues({
        params: { id: { list: [1, 2] } },
        requests: [
          { path: "/a/{id}/{nope}" },
          {
            method: "POST",
            path: "/b",
            headers: { "X-Tenant": "{tenant}" },
            body: { items: [{ sku: "{sku}" }] },
            params: { qty: { range: { from: 1, to: 3 } } },
          },
        ],
      }),
    ).toEqual([
      "requests.0.path: unknown placeholder {nope}; define it under load.params or this request's params (known: patient, id)",
      "requests.1.headers.X-Tenant: unknown placeholder {tenant}; define it under load.params or this request's params (known: patient, id, qty)",
      "requests.1.body.items.0.sku: unknown placeholder {sku}; define it under load.params or this request's params (known: patient, id, qty)",
    ]);
    expect(issues({ path: "/a/{id}" })).toEqual(["path: unknown placeholder {id}; define it under load.params or this request's params (known: patient)"]);
  });

  it("should refuse a traceparent header, weights that send nothing and two requests of one name", () => {
    expect(issues({ requests: [{ path: "/a", headers: { traceparent: "00-x" } }] })).toEqual([
      "requests.0.headers.traceparent: the harness sets traceparent on every request (each its own trace id); remove it",
    ]);
    expect(issues({ requests: [{ path: "/a", weight: 0 }] })).toEqual([
      "requests: every weight is 0, so no request would be sent; give at least one a weight above 0",
    ]);
    expect(issues({ requests: [{ path: "/a" }, { method: "GET", path: "/a" }] })).toEqual([
      'requests: two requests are both named "GET /a"; give each its own name',
    ]);
  });

  it("should refuse a range that runs backwards and an empty list", () => {
    expect(issues({ params: { n: { range: { from: 5, to: 1 } } } })).toEqual(["params.n.range: expected from <= to"]);
    expect(issues({ params: { n: { list: [] } } })).toHaveLength(1);
  });
});
