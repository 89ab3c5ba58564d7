import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { LoadSpec } from "../core/experiment-spec.js";
import { loadModel } from "../core/experiment-mapping.js";
import { resolveRequests } from "./request-sources.js";

describe("resolveRequests", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "request-sources-"));
  writeFileSync(path.join(dir, "ids.csv"), "id,region\nA1,eu\nA2,us\n");
  writeFileSync(path.join(dir, "header-only.csv"), "id,region\n");
  writeFileSync(path.join(dir, "token"), "file-token\n");
  writeFileSync(path.join(dir, "empty-token"), "\n");
  writeFileSync(path.join(dir, "payload.bin"), Buffer.from([0, 1, 2, 255]));

  const resolve = (load: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => {
    const model = loadModel(LoadSpec.parse({ duration: "1m", ...load }), dir);
    return resolveRequests(model.requests, model.params, env);
  };

  it("should read secrets from the environment and files, a body file as bytes, and only the CSV columns used", () => {
    const { requests, errors } = resolve(
      {
        params: { id: { csv: "ids.csv", column: "id" }, unused: { list: ["x"] } },
        requests: [
          { method: "POST", path: "/a/{id}", headers: { Authorization: { env: "TOKEN" }, "X-Key": { file: "token" } }, body: { file: "payload.bin" } },
        ],
      },
      { TOKEN: "env-token" },
    );
    expect(errors).toEqual([]);
    expect(requests[0]!.headers).toEqual([
      ["Authorization", ["env-token"]],
      ["X-Key", ["file-token"]],
    ]);
    expect(requests[0]!.body).toEqual({ base64: Buffer.from([0, 1, 2, 255]).toString("base64") });
    expect(requests[0]!.params).toEqual({ id: { kind: "csv", file: path.join(dir, "ids.csv"), values: ["A1", "A2"] } });
  });

  it("should make a CSV cell that is a plain JSON number a number, and keep anything else (leading zeros too) as text", () => {
    writeFileSync(path.join(dir, "items.csv"), "item\n42\n007\n-1.5\n2e3\n12ab\n");
    const { requests } = resolve({ params: { item: { csv: "items.csv", column: "item" } }, requests: [{ path: "/i/{item}" }] });
    expect(requests[0]!.params).toEqual({ item: { kind: "csv", file: path.join(dir, "items.csv"), values: [42, "007", -1.5, 2000, "12ab"] } });
  });

  it("should name the field of every secret, file and column it cannot find, all at once", () => {
    const { errors } = resolve({
      params: { id: { csv: "missing.csv", column: "id" } },
      requests: [
        { path: "/a", headers: { Authorization: { env: "CHECKOUT_TOKEN" } } },
        {
          method: "POST",
          path: "/b/{region}",
          headers: { Cookie: { file: "empty-token" } },
          body: { file: "nowhere.json" },
          params: { region: { csv: "ids.csv", column: "zone" }, none: { csv: "header-only.csv", column: "id" } },
        },
      ],
    });
    expect(errors).toEqual([
      `load.params.id.csv: cannot read ${path.join(dir, "missing.csv")} (ENOENT); paths are relative to the experiment file`,
      "load.requests[0].headers.Authorization.env: environment variable CHECKOUT_TOKEN is not set (or empty); export it before the run",
      `load.requests[1].params.region.column: no column "zone" in ${path.join(dir, "ids.csv")}; its header row has id, region`,
      `load.requests[1].params.none.csv: ${path.join(dir, "header-only.csv")} has a header row and no rows below it; add the values`,
      `load.requests[1].headers.Cookie.file: ${path.join(dir, "empty-token")} is empty; put the secret in it`,
      `load.requests[1].body.file: cannot read ${path.join(dir, "nowhere.json")} (ENOENT); paths are relative to the experiment file`,
    ]);
  });

  it("should say JSON is sent unless the template names its own Content-Type", () => {
    const { requests } = resolve({
      requests: [
        { method: "POST", path: "/a", body: { a: 1 } },
        { method: "POST", path: "/b", body: { a: 1 }, headers: { "content-type": "application/vnd.api+json" } },
        { method: "POST", path: "/c", body: "plain" },
      ],
    });
    expect(requests.map((r) => r.headers)).toEqual([[["Content-Type", ["application/json"]]], [["content-type", ["application/vnd.api+json"]]], []]);
  });
});
