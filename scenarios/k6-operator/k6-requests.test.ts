import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { planLoad } from "../scenario-registry.js";
import { LoadSpec } from "../../core/experiment-spec.js";
import { loadModel } from "../../core/experiment-mapping.js";
import { k6Script, MAX_SCRIPT_BYTES } from "./k6-script.js";

interface SentRequest {
  method: string;
  url: string;
  body: string | { base64: string } | null;
  headers: Record<string, string>;
  tags: { name: string };
}

/**
 * Runs the generated script's default function in Node, with k6's modules replaced by recorders:
 * k6 itself is AGPL and is never built here, so what the script sends is checked this way.
 */
async function send(script: string, count: number, env: Record<string, string> = {}): Promise<SentRequest[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "k6-requests-"));
  writeFileSync(
    path.join(dir, "script.mjs"),
    script
      .replace('import http from "k6/http";', "const http = globalThis.k6http;")
      .replace('import crypto from "k6/crypto";', "const crypto = globalThis.k6crypto;")
      .replace('import encoding from "k6/encoding";', "const encoding = globalThis.k6encoding;"),
  );
  writeFileSync(
    path.join(dir, "run.mjs"),
    `import { randomBytes } from "node:crypto";
const sent = [];
globalThis.__ENV = ${JSON.stringify(env)};
globalThis.k6http = { request: (method, url, body, params) => sent.push({ method, url, body: body instanceof ArrayBuffer ? { base64: Buffer.from(body).toString("base64") } : body, headers: params.headers, tags: params.tags }) };
globalThis.k6crypto = { randomBytes: (n) => randomBytes(n), hexEncode: (b) => Buffer.from(b).toString("hex") };
globalThis.k6encoding = { b64decode: (s) => { const b = Buffer.from(s, "base64"); return b.buffer.slice(b.byteOffset, b.byteOffset + b.length); } };
const script = await import("./script.mjs");
for (let i = 0; i < ${count}; i++) script.default();
process.stdout.write(JSON.stringify(sent));
`,
  );
  const { stdout } = await execa(process.execPath, [path.join(dir, "run.mjs")]);
  return JSON.parse(stdout) as SentRequest[];
}

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "k6-shapes-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const plan = (load: Record<string, unknown>, dir = process.cwd()) => planLoad(loadModel(LoadSpec.parse({ rate: "5/s", duration: "10s", ...load }), dir));

describe("the k6 script's requests", () => {
  it("should pick templates by weight and fill each placeholder where it stands", async () => {
    const { script } = k6Script(
      plan({
        requests: [
          { name: "browse", path: "/items/{id}", weight: 3, params: { id: { range: { from: 1, to: 5 } } } },
          { name: "order", method: "POST", path: "/orders/{region}", body: { item: "{id}", note: "for {region}" }, params: { id: { list: [7] } } },
          { name: "never", path: "/never", weight: 0 },
        ],
        params: { region: { list: ["eu west/1"] } },
      }),
      { baseUrl: "http://checkout.shop.svc:8080/" },
    );
    const sent = await send(script, 2000);
    const browse = sent.filter((r) => r.tags.name === "browse");
    const order = sent.filter((r) => r.tags.name === "order");
    expect(browse.length + order.length).toBe(2000);
    expect(browse.length / 2000).toBeGreaterThan(0.7);
    expect(browse.length / 2000).toBeLessThan(0.8);
    expect(new Set(browse.map((r) => r.url))).toEqual(new Set([1, 2, 3, 4, 5].map((n) => `http://checkout.shop.svc:8080/items/${n}`)));
    expect(browse[0]).toMatchObject({ method: "GET", body: null, headers: { traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) } });
    expect(order[0]).toMatchObject({
      method: "POST",
      url: "http://checkout.shop.svc:8080/orders/eu%20west%2F1",
      headers: { "Content-Type": "application/json" },
    });
    expect(JSON.parse(order[0]!.body as string)).toEqual({ item: 7, note: "for eu west/1" });
  });

  it("should take one CSV row for all of a file's columns, and send a body file byte for byte", async () => {
    const dir = folder({ "users.csv": "user,token\nann,t-ann\nbob,t-bob\ncid,t-cid\n", "order.bin": "\u0000\u00ffraw" });
    const { script } = k6Script(
      plan(
        {
          requests: [
            {
              method: "PUT",
              path: "/users/{user}",
              headers: { "X-User-Token": "{token}" },
              body: { file: "order.bin" },
            },
          ],
          params: { user: { csv: "users.csv", column: "user" }, token: { csv: "users.csv", column: "token" } },
        },
        dir,
      ),
      { baseUrl: "http://api" },
    );
    const sent = await send(script, 300);
    expect(new Set(sent.map((r) => `${r.url} ${r.headers["X-User-Token"]}`))).toEqual(
      new Set(["http://api/users/ann t-ann", "http://api/users/bob t-bob", "http://api/users/cid t-cid"]),
    );
    expect(sent[0]!.body).toEqual({ base64: Buffer.from("\u0000\u00ffraw").toString("base64") });
  });

  it("should leave a secret header to the runners' environment: named in the script, never its value", async () => {
    const load = { requests: [{ path: "/me", headers: { Authorization: { env: "CHECKOUT_TOKEN" } } }] };
    process.env.CHECKOUT_TOKEN = "Bearer s3cret-from-the-operator";
    try {
      const { script, secretEnv } = k6Script(plan(load), { baseUrl: "http://api" });
      expect(secretEnv).toEqual(["CHECKOUT_TOKEN"]);
      expect(script).not.toContain("s3cret");
      const sent = await send(script, 3, { CHECKOUT_TOKEN: "Bearer from-the-secret" });
      expect(sent.map((r) => r.headers.Authorization)).toEqual(["Bearer from-the-secret", "Bearer from-the-secret", "Bearer from-the-secret"]);
      await expect(send(script, 1)).rejects.toThrow(
        /environment variable CHECKOUT_TOKEN is not set on the runner; the TestRun takes it from the Secret passed with --secret/,
      );
    } finally {
      delete process.env.CHECKOUT_TOKEN;
    }
  });

  it("should refuse what it would have to write into the script or cannot read, naming the field", () => {
    const dir = folder({ "token.txt": "s3cret\n" });
    expect(() => k6Script(plan({ requests: [{ path: "/me", headers: { Authorization: { file: "token.txt" } } }] }, dir), { baseUrl: "http://api" })).toThrow(
      "load.requests[0].headers.Authorization.file: scale-out would have to write the secret into the runners' script; give { env: NAME } and pass --secret with a Secret holding NAME",
    );
    expect(() => k6Script(plan({ path: "/a/{id}", params: { id: { csv: "missing.csv", column: "id" } } }, dir), { baseUrl: "http://api" })).toThrow(
      /^load\.params\.id\.csv: cannot read .*missing\.csv \(ENOENT\)/,
    );
  });

  it("should refuse a script a ConfigMap cannot carry, saying why", () => {
    const rows = Array.from({ length: 120_000 }, (_, i) => `customer-${String(i).padStart(6, "0")}`).join("\n");
    const dir = folder({ "ids.csv": `id\n${rows}\n` });
    expect(() => k6Script(plan({ path: "/customers/{id}", params: { id: { csv: "ids.csv", column: "id" } } }, dir), { baseUrl: "http://api" })).toThrow(
      new RegExp(
        `^the runners' script would be \\d+ KiB with its CSV values and body files inlined, more than the ${MAX_SCRIPT_BYTES / 1024} KiB a ConfigMap carries`,
      ),
    );
  });
});
