import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../test/cli.js";
import { repoRoot } from "../core/paths.js";

describe("slo-harness CLI exit codes", () => {
  it("should exit 2 with the field path and an example when an experiment is invalid", async () => {
    const { code, stderr } = await runCli(["validate", path.join("runner", "fixtures", "bad-duration.yaml")]).result;
    expect(code).toBe(2);
    expect(stderr).toContain("bad-duration.yaml:8: faults[pool-exhausted].duration");
    expect(stderr).toContain('for example "90s"');
  });

  it("should print its version, and every exit code in --help", async () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
    const version = await runCli(["--version"]).result;
    expect({ code: version.code, stdout: version.stdout.trim() }).toEqual({ code: 0, stdout: pkg.version });
    const help = await runCli(["--help"]).result;
    expect(help.code).toBe(0);
    for (const code of ["0", "1", "2", "3", "4", "130"]) expect(help.stdout).toMatch(new RegExp(`^  ${code} +\\S`, "m"));
  });

  it("should exit 4, not 3 (inconclusive), when the harness's own environment breaks, and 2 for a report folder that is a file", async () => {
    const broken = await runCli(["up"], { env: { SLO_HARNESS_TARGET_DIR: "/nonexistent/target" } }).result;
    expect({ code: broken.code, stderr: broken.stderr }).toEqual({
      code: 4,
      stderr: expect.stringMatching(/the reference target's file \/nonexistent\/target\/target\.yaml cannot be read \(ENOENT/),
    });
    const file = path.join(mkdtempSync(path.join(tmpdir(), "exit-codes-")), "not-a-folder");
    writeFileSync(file, "");
    const index = await runCli(["report", "index", file]).result;
    expect({ code: index.code, stderr: index.stderr.trim() }).toEqual({
      code: 2,
      stderr: `slo-harness: ${file}: not a folder; pass the folder runs wrote their reports to (run --out)`,
    });
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

  it("should exit 0 and validate every shipped experiment, descending into subfolders", async () => {
    const { code, stdout } = await runCli(["validate", "experiments"]).result;
    expect(code).toBe(0);
    expect(stdout.match(/^ok /gm)).toHaveLength(5);
    expect(stdout).toContain("ok  experiments/kubernetes/pod-eviction.yaml");
  });

  it("should say per file on --json whether it is valid, and exit 2 when one is not", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "validate-json-"));
    copyFileSync("experiments/smoke.yaml", path.join(dir, "a-smoke.yaml"));
    copyFileSync(path.join("runner", "fixtures", "bad-duration.yaml"), path.join(dir, "b-bad.yaml"));
    const { code, stdout } = await runCli(["validate", "--json", dir]).result;
    const parsed = JSON.parse(stdout) as { valid: boolean; files: { file: string; ok: boolean; error?: string }[] };
    expect(code).toBe(2);
    expect(parsed.valid).toBe(false);
    expect(parsed.files.map((f) => [path.basename(f.file), f.ok])).toEqual([
      ["a-smoke.yaml", true],
      ["b-bad.yaml", false],
    ]);
    expect(parsed.files[1]!.error).toMatch(/b-bad\.yaml:\d+: /);
  });

  it("should print the plan without starting anything on --dry-run", async () => {
    const { code, stdout } = await runCli(["run", "experiments/pool-exhaustion.yaml", "--dry-run"]).result;
    expect(code).toBe(0);
    expect(stdout).toContain('fault pool-exhausted: at 30s for 1m: pool-exhaustion on "postgres": hold 100% of the ordinary connection slots');
    // The bound dry-run states is the one the run enforces: the duration plus the injector's safety margin.
    expect(stdout).toContain("as role slo_harness_chaos (application_name 'slo-harness:pool-exhausted') for at most 75s");
    expect(stdout).toContain("rules: time-compressed 30x");
  });

  it("should plan the Kubernetes experiment's eviction and event check without a cluster", async () => {
    const { code, stdout } = await runCli(["run", "experiments/kubernetes/pod-eviction.yaml", "--dry-run"]).result;
    expect(code).toBe(0);
    expect(stdout).toContain("environment: kind");
    expect(stdout).toContain(
      'fault api-pod-evicted: at 30s for 2m: pod-eviction in namespace "genomics": evict 1 Running pod matching app=genomics-api through the policy/v1 Eviction API',
    );
    expect(stdout).toContain("expect replacement-pod-created: event appears within 30s after api-pod-evicted.start");
  });

  it("should list every injector and probe, the Kubernetes ones included", async () => {
    const { code, stdout } = await runCli(["list"]).result;
    expect(code).toBe(0);
    for (const name of ["pool-exhaustion", "process", "docker", "network", "pod-eviction", "container-kill"])
      expect(stdout).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
    for (const name of ["metric", "alert", "trace", "log", "monitoring", "event", "load"]) expect(stdout).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
    expect(stdout).toContain("experiments/kubernetes/pod-eviction.yaml");
  });

  it("should check a folder that holds only a rule file, and refuse to call a folder with nothing to check a pass", async () => {
    const rulesOnly = mkdtempSync(path.join(tmpdir(), "slo-harness-check-"));
    copyFileSync(path.join("env", "stack", "rules", "genomics-api.rules.yml"), path.join(rulesOnly, "genomics-api.rules.yml"));
    const checked = await runCli(["check", rulesOnly, "--offline"]).result;
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/PASS promtool check rules .*genomics-api\.rules\.yml: SUCCESS: 5 rules found/);
    const empty = mkdtempSync(path.join(tmpdir(), "slo-harness-check-"));
    writeFileSync(path.join(empty, "notes.yaml"), "not: rules\n");
    const nothing = await runCli(["check", empty, "--offline"]).result;
    expect(nothing.code).toBe(2);
    expect(nothing.stdout).toContain(`nothing was checked in ${empty}`);
    // --json says the same, with the same exit codes.
    const asJson = await runCli(["check", rulesOnly, "--offline", "--json"]).result;
    const parsed = JSON.parse(asJson.stdout) as { checked: boolean; counts: { pass: number; fail: number }; results: { check: string; status: string }[] };
    expect({ code: asJson.code, checked: parsed.checked, failing: parsed.counts.fail }).toEqual({ code: 0, checked: true, failing: 0 });
    expect(parsed.results.find((r) => r.check.startsWith("promtool check rules"))?.status).toBe("pass");
    const nothingJson = await runCli(["check", empty, "--offline", "--json"]).result;
    expect({ code: nothingJson.code, checked: (JSON.parse(nothingJson.stdout) as { checked: boolean }).checked }).toEqual({ code: 2, checked: false });
  });

  it("should refuse an unknown section of list, and list as JSON on --json", async () => {
    const unknown = await runCli(["list", "injectorz"]).result;
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Allowed choices are experiments, providers, injectors, probes, scenarios");
    const listed = await runCli(["list", "--json"]).result;
    const parsed = JSON.parse(listed.stdout) as Record<string, { name: string; summary: string; tags?: string[] }[]>;
    expect(Object.keys(parsed)).toEqual(["experiments", "providers", "injectors", "probes", "scenarios"]);
    expect(parsed.injectors!.find((i) => i.name === "pod-eviction")?.tags).toEqual(["kubernetes"]);
    expect(parsed.experiments!.map((e) => e.name)).toContain("experiments/kubernetes/pod-eviction.yaml");
    const one = await runCli(["list", "scenarios", "--json"]).result;
    expect(Object.keys(JSON.parse(one.stdout) as object)).toEqual(["scenarios"]);
  });

  it("should descend into subfolders on run, planning each experiment on its own provider, as JSON on --dry-run --json", async () => {
    const { code, stdout } = await runCli(["run", "experiments", "--dry-run", "--json"]).result;
    expect(code).toBe(0);
    const { plans } = JSON.parse(stdout) as {
      plans: { file: string; environment: { provider: string }; faults: { id: string; atSeconds: number; action: string }[] }[];
    };
    expect(plans.map((p) => [p.file, p.environment.provider])).toEqual([
      ["experiments/collector-down.yaml", "local"],
      ["experiments/pool-exhaustion.yaml", "local"],
      ["experiments/smoke.yaml", "local"],
      ["experiments/kubernetes/container-kill.yaml", "kind"],
      ["experiments/kubernetes/pod-eviction.yaml", "kind"],
    ]);
    const pool = plans.find((p) => p.file.endsWith("pool-exhaustion.yaml"))!;
    expect(pool.faults[0]).toMatchObject({
      id: "pool-exhausted",
      atSeconds: 30,
      action: expect.stringContaining("hold 100% of the ordinary connection slots"),
    });
  });

  it("should refuse an experiment that checks nothing, and the removed requiresMonitoring with what replaced it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-validate-"));
    writeFileSync(path.join(dir, "empty.yaml"), "title: Nothing to see\nload: { rate: 5/s, duration: 30s }\n");
    writeFileSync(
      path.join(dir, "old.yaml"),
      "title: Old\nexpectations:\n  - id: x\n    metric: 'up == 0'\n    within: 30s of run-start\n    requiresMonitoring: false\n",
    );
    const empty = await runCli(["validate", path.join(dir, "empty.yaml")]).result;
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("empty.yaml: the experiment checks nothing");
    const old = await runCli(["validate", path.join(dir, "old.yaml")]).result;
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/old\.yaml:3: expectations\[x\]: requiresMonitoring was removed: .*blinds: \[trace, log\]/);
  });
});
