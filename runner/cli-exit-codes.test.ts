import path from "node:path";
import { runCli } from "../test/cli.js";

describe("slo-harness CLI exit codes", () => {
  it("should exit 2 with the field path and an example when an experiment is invalid", async () => {
    const { code, stderr } = await runCli(["validate", path.join("runner", "fixtures", "bad-duration.yaml")]).result;
    expect(code).toBe(2);
    expect(stderr).toContain('bad-duration.yaml:8: faults[pool-exhausted].duration');
    expect(stderr).toContain('for example "90s"');
  });

  it("should exit 2 for an unknown option", async () => {
    const { code, stderr } = await runCli(["run", "experiments/smoke.yaml", "--no-such-flag"]).result;
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--no-such-flag'");
  });

  it("should exit 2 for a provider this build does not have, before starting anything", async () => {
    const { code, stderr } = await runCli(["run", "experiments/smoke.yaml", "--env", "nomad"]).result;
    expect(code).toBe(2);
    expect(stderr).toBe('slo-harness: --env: "nomad" is not a provider; expected one of local, testcontainers, kind, existing\n');
  });

  it("should exit 0 and validate every shipped experiment", async () => {
    const { code, stdout } = await runCli(["validate", "experiments", "experiments/kubernetes"]).result;
    expect(code).toBe(0);
    expect(stdout.match(/^ok /gm)).toHaveLength(4);
  });

  it("should print the plan without starting anything on --dry-run", async () => {
    const { code, stdout } = await runCli(["run", "experiments/pool-exhaustion.yaml", "--dry-run"]).result;
    expect(code).toBe(0);
    expect(stdout).toContain('fault pool-exhausted: at 30s for 60s: pool-exhaustion on "postgres": hold 100% of the ordinary connection slots');
    expect(stdout).toContain("rules: time-compressed 30x");
  });

  it("should plan the Kubernetes experiment's eviction and event check without a cluster", async () => {
    const { code, stdout } = await runCli(["run", "experiments/kubernetes/pod-eviction.yaml", "--dry-run"]).result;
    expect(code).toBe(0);
    expect(stdout).toContain("environment: kind");
    expect(stdout).toContain('fault api-pod-evicted: at 30s for 2m: pod-eviction in namespace "genomics": evict 1 Running pod matching app=genomics-api through the policy/v1 Eviction API');
    expect(stdout).toContain('expect replacement-pod-created: event appears within 30s after api-pod-evicted.start');
  });

  it("should list every injector and probe, the Kubernetes ones included", async () => {
    const { code, stdout } = await runCli(["list"]).result;
    expect(code).toBe(0);
    for (const name of ["pool-exhaustion", "process", "docker", "network", "pod-eviction"]) expect(stdout).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
    for (const name of ["metric", "alert", "trace", "log", "monitoring", "event"]) expect(stdout).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
    expect(stdout).toContain("experiments/kubernetes/pod-eviction.yaml");
  });
});
