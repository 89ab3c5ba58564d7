import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { runCli } from "../../test/cli.js";
import { repoRoot } from "../../core/paths.js";
import { commandEnvironment } from "../../env/shared/target-build.js";

const CHECKOUT = path.join(repoRoot, "targets", "checkout-api");
const fresh = () => mkdtempSync(path.join(tmpdir(), "slo-harness-init-"));

describe("slo-harness init", () => {
  it("should write a target, an SLO and a smoke experiment that validate accepts, for each way to reach a service", async () => {
    for (const way of [
      ["--url", "http://127.0.0.1:8080"],
      ["--command", "bin/api --verbose"],
      ["--dockerfile", "Dockerfile", "--port", "8080"],
    ]) {
      const dir = fresh();
      const init = await runCli(["init", dir, "--name", "orders-api", "--objective", "99.5", "--path", "/orders/1", ...way]).result;
      expect({ code: init.code, stderr: init.stderr }).toEqual({ code: 0, stderr: "" });
      for (const file of ["target.yaml", "slos/orders-api-availability.yaml", "experiments/smoke.yaml"]) expect(existsSync(path.join(dir, file))).toBe(true);
      if (way[0] === "--dockerfile") continue; // validate checks the Dockerfile exists; init does not write one
      const validate = await runCli(["validate", path.join(dir, "experiments")]).result;
      expect({ way: way[0], code: validate.code, stderr: validate.stderr }).toEqual({ way: way[0], code: 0, stderr: "" });
    }
  });

  it("should derive the error budget from the objective and split the command into words", async () => {
    const dir = fresh();
    await runCli(["init", dir, "--name", "orders-api", "--objective", "99.5", "--command", "bin/api  --verbose"]).result;
    expect(readFileSync(path.join(dir, "experiments", "smoke.yaml"), "utf8")).toContain(
      'sum(rate(http_server_requests_total{job="orders-api", status=~"5.."}[1m])) / sum(rate(http_server_requests_total{job="orders-api"}[1m])) > 0.005',
    );
    expect(readFileSync(path.join(dir, "target.yaml"), "utf8")).toMatch(/command:\n\s+- bin\/api\n\s+- --verbose\n/);
  });

  it.each([
    [["--url", "http://127.0.0.1:1", "--command", "x"], /exactly one way to reach the service/],
    [["--url", "http://10.1.2.3:80"], /--url: expected a loopback URL/],
    [["--image", "orders:dev"], /--port: expected the port the service listens on in its container/],
    [["--url", "http://127.0.0.1:1", "--objective", "100"], /--objective: expected a percentage between 0 and 100/],
  ])("should refuse %j with exit 2 and the flag to fix", async (flags, message) => {
    const result = await runCli(["init", fresh(), "--name", "orders-api", ...flags]).result;
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(message) });
  });

  it("should not overwrite a starter without --force", async () => {
    const dir = fresh();
    expect((await runCli(["init", dir, "--name", "orders-api", "--url", "http://127.0.0.1:8080"]).result).code).toBe(0);
    const again = await runCli(["init", dir, "--name", "orders-api", "--url", "http://127.0.0.1:8080"]).result;
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/target\.yaml.* exist; pass --force to overwrite/) });
    expect((await runCli(["init", dir, "--name", "orders-api", "--url", "http://127.0.0.1:8080", "--force"]).result).code).toBe(0);
  });

  it("should run what it wrote: a starter for checkout-api passes on the local stack", async () => {
    await execa("go", ["build", "-trimpath", "-o", "bin/checkout-api", "."], { cwd: CHECKOUT, env: commandEnvironment() });
    const dir = fresh();
    const binary = path.join(CHECKOUT, "bin", "checkout-api");
    const init = await runCli(["init", dir, "--name", "checkout-api", "--command", binary, "--path", "/items/7"]).result;
    expect(init.code).toBe(0);
    const run = await runCli(["run", path.join(dir, "experiments", "smoke.yaml"), "--out", path.join(dir, "out"), "--quiet"]).result;
    const report = JSON.parse(readFileSync(path.join(dir, "out", "report.json"), "utf8")) as {
      verdict: string;
      expectations: { id: string; verdict: string }[];
    };
    expect({ code: run.code, verdict: report.verdict, expectations: report.expectations.map((e) => `${e.id}: ${e.verdict}`) }).toEqual({
      code: 0,
      verdict: "pass",
      expectations: ["request-rate-is-recorded: pass", "load-traces-reach-jaeger: pass", "error-ratio-stays-within-the-budget: pass"],
    });
  }, 600_000);
});
