import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runCli } from "../../test/cli.js";

describe("slo-harness demo", () => {
  it("should find the reference target's traced requests in every backend, from its target file's demo: block", async () => {
    const { code, stdout, stderr } = await runCli(["demo"]).result;
    expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });
    const lines = stdout.split("\n").filter((l) => /^(PASS|FAIL) /.test(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^PASS metrics .*sum\(django_http_responses_total_by_status_view_method_total\{job="genomics-api", view="variant-analysis"\}\) = \d+/,
    );
    expect(lines[1]).toMatch(/^PASS traces .*trace [0-9a-f]{32}: .*variant-analysis/);
    expect(lines[2]).toMatch(/^PASS logs .*log line with trace_id [0-9a-f]{32}/);
  }, 180_000);

  it("should fail a pillar that never sees the requests, naming what it looked for", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "demo-target-"));
    try {
      // The reference API, asked for a span it never makes: the traces pillar must fail, not pass on any span.
      const file = path.join(dir, "target.yaml");
      writeFileSync(
        file,
        [
          "name: genomics-api",
          `build: [[bash, ${path.resolve("tools/install-python-target.sh")}]]`,
          "postgres: { database: genomics }",
          "local:",
          `  command: [${path.resolve("env/target/.venv/bin/gunicorn")}, -c, gunicorn.conf.py]`,
          `  cwd: ${path.resolve("env/target")}`,
          "demo: { path: /health, spans: [no-such-operation] }",
        ].join("\n"),
      );
      const { code, stdout } = await runCli(["demo", "--target", file]).result;
      expect(code).toBe(1);
      expect(stdout).toMatch(/^PASS metrics .*up\{job="genomics-api"\} = 1/m);
      expect(stdout).toMatch(/^FAIL traces .*trace [0-9a-f]{32} with no-such-operation not found in 30 s/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
