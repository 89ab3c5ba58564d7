import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BackendAuthSpec, readSecret, resolveBackendAccess } from "./backend-auth.js";

describe("backend auth", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "backend-auth-"));
  const secretFile = path.join(dir, "token");
  writeFileSync(secretFile, "from-a-file\n");
  const pem = path.join(dir, "ca.pem");
  writeFileSync(pem, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");

  it("should read secrets from the environment or a file, and name the field and the source when one is missing", () => {
    expect(readSecret("env:TOKEN", "auth.logs.bearerToken", { TOKEN: "t0k" })).toBe("t0k");
    expect(readSecret(`file:${secretFile}`, "auth.logs.bearerToken")).toBe("from-a-file");
    expect(() => readSecret("env:NOPE", "auth.logs.bearerToken", {})).toThrow(
      "auth.logs.bearerToken: the environment variable NOPE is not set (or empty); export it before the run",
    );
    expect(() => readSecret(`file:${dir}/missing`, "auth.x.basic.password")).toThrow(`auth.x.basic.password: the file ${dir}/missing does not exist`);
  });

  it("should turn a spec into headers and TLS settings", () => {
    const bearer = resolveBackendAccess({ bearerToken: "env:T", headers: { "X-Scope-OrgID": "genomics" }, ca: pem }, "auth.logs", { T: "abc" });
    expect(bearer).toEqual({
      headers: { "X-Scope-OrgID": "genomics", Authorization: "Bearer abc" },
      ca: expect.stringContaining("BEGIN"),
      rejectUnauthorized: true,
    });
    const basic = resolveBackendAccess({ basic: { username: "slo", password: `file:${secretFile}` }, insecureSkipVerify: true }, "auth.prometheus");
    expect(basic).toEqual({ headers: { Authorization: `Basic ${Buffer.from("slo:from-a-file").toString("base64")}` }, rejectUnauthorized: false });
    expect(() => resolveBackendAccess({ ca: secretFile }, "auth.jaeger")).toThrow(`auth.jaeger.ca: ${secretFile} is not a PEM file (no -----BEGIN line)`);
  });

  it("should refuse a spec that is ambiguous or holds a secret inline", () => {
    const issues = (spec: unknown) => BackendAuthSpec.safeParse(spec).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ bearerToken: "env:A", basic: { username: "u", password: "env:B" } })).toEqual([
      ": give bearerToken or basic, not both: both set Authorization",
    ]);
    expect(issues({ cert: pem })).toEqual([": a client certificate needs both cert and key (PEM files)"]);
    expect(issues({ headers: { Cookie: "session=abc" } })).toEqual([
      'headers.Cookie: Cookie carries a credential: give where it is, "env:NAME" or "file:/path"',
    ]);
    expect(issues({ basic: { username: "u", password: "hunter2" } })).toEqual([
      'basic.password: expected where the secret is, "env:NAME" or "file:/path/to/secret", never the secret itself',
    ]);
  });
});
