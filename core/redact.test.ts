import { redact, redactDeep, redactValue } from "./redact.js";

describe("redact", () => {
  it.each([
    ["postgresql://genomics:p@ss:word@db.internal:5432/genomics", "postgresql://genomics:***@db.internal:5432/genomics"],
    ["http://admin:S3cret@127.0.0.1:9090/graph?g0.expr=up", "http://admin:***@127.0.0.1:9090/graph?g0.expr=up"],
    ["host=db user=genomics password=hunter2 dbname=x", "host=db user=genomics password=*** dbname=x"],
    ["GET /api/v1/query?query=up&access_token=abc123&x=1", "GET /api/v1/query?query=up&access_token=***&x=1"],
    ["Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig", "Authorization: ***"],
    ['{"headers":{"Authorization":"Basic YWRtaW46czNjcmV0"}}', '{"headers":{"Authorization":"***"}}'],
    ["sent Bearer abc.def-ghi to the API", "sent Bearer *** to the API"],
    ["Cookie: session=abc; theme=dark", "Cookie: ***"],
    ["X-Scope-OrgID: tenant-a", "X-Scope-OrgID: tenant-a"],
  ])("should hide the secret in %s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it("should keep what carries no secret as it is", () => {
    for (const text of [
      "postgresql://postgres@127.0.0.1:5432/genomics",
      "http://127.0.0.1:9090",
      "job:genomics_api_error_ratio:rate1m > 0.01",
      "passwordFrom: env:PGPASSWORD",
    ])
      expect(redact(text)).toBe(text);
  });

  it("should blank secret-named fields at any depth and redact every string", () => {
    const options = {
      endpoints: { postgres: "postgresql://u:pw@h/db", prometheus: "http://127.0.0.1:9090" },
      auth: { prometheus: { basic: { username: "admin", password: "S3cret" }, bearerToken: "abc" } },
      list: ["http://a:b@c"],
    };
    expect(redactDeep(options)).toEqual({
      endpoints: { postgres: "postgresql://u:***@h/db", prometheus: "http://127.0.0.1:9090" },
      auth: { prometheus: { basic: { username: "admin", password: "***" }, bearerToken: "***" } },
      list: ["http://a:***@c"],
    });
  });

  it("should hide a value it was handed as a secret wherever it appears, longest first", () => {
    redactValue("tenant-7f3a");
    redactValue("tenant-7f3a-admin");
    expect(redact("X-Scope-OrgID: tenant-7f3a-admin, then tenant-7f3a")).toBe("X-Scope-OrgID: ***, then ***");
    expect(redactDeep({ title: "for tenant-7f3a" })).toEqual({ title: "for ***" });
  });
});
