import path from "node:path";
import { runCli } from "../test/cli.js";

const fixture = path.join("runner", "fixtures", "with-variables.yaml");

describe("slo-harness --var", () => {
  it("should validate an experiment whose variables are given, and plan it with their values (a whole reference as a number)", async () => {
    const ok = await runCli(["validate", fixture, "--var", "rate=20/s", "--var", "service=checkout"]).result;
    expect({ code: ok.code, stdout: ok.stdout }).toEqual({ code: 0, stdout: `ok  ${fixture}: Does checkout page within 3m when its pool is exhausted?\n` });
    const plan = await runCli(["run", fixture, "--dry-run", "--json", "--var", "rate=20/s"]).result;
    const parsed = JSON.parse(plan.stdout) as { plans: { rules: { compress: number }; load: { stages: { ratePerSecond: number }[] } }[] };
    expect(parsed.plans[0]!.rules.compress).toBe(30);
    expect(parsed.plans[0]!.load.stages[0]!.ratePerSecond).toBe(20);
  });

  it("should exit 2 naming the file, the line, the variable and the fix when a variable is not set", async () => {
    const { code, stderr } = await runCli(["validate", fixture]).result;
    expect(code).toBe(2);
    expect(stderr).toContain("with-variables.yaml:5: ${rate} is not set; pass --var rate=… (or put it in a --var-file), or give a default: ${rate:-…}");
  });

  it("should exit 2 for a --var no experiment reads", async () => {
    const { code, stderr } = await runCli(["validate", fixture, "--var", "rate=20/s", "--var", "rat=5/s"]).result;
    expect({ code, stderr }).toEqual({ code: 2, stderr: "slo-harness: --var rat: no experiment file reads ${rat}; did you mean rate?\n" });
  });
});
