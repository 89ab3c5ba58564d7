import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BadInputError } from "../core/errors.js";
import { repoRoot, stackDir } from "../core/paths.js";
import { runCli } from "../test/cli.js";
import { checkStackFolder, useStackFolder } from "./stack-folder.js";

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of env/stack, as a user would start their own. */
function stackCopy(): string {
  const parent = mkdtempSync(path.join(tmpdir(), "stack-folder-"));
  copies.push(parent);
  const dir = path.join(parent, "my-stack");
  cpSync(path.join(repoRoot, "env", "stack"), dir, { recursive: true });
  return dir;
}

/** The copy with its first recording rule's expression cut short, as a typo would. */
function brokenRuleCopy(): { dir: string; ruleFile: string } {
  const dir = stackCopy();
  const ruleFile = path.join(dir, "rules", "genomics-api.rules.yml");
  writeFileSync(ruleFile, readFileSync(ruleFile, "utf8").replace(/expr: .*/, "expr: sum(rate(django_http_requests_total[5m]) by"));
  return { dir, ruleFile };
}

async function failure(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(BadInputError);
    return (err as Error).message;
  }
  throw new Error("expected a BadInputError");
}

describe("checkStackFolder", () => {
  it("should pass a copy of env/stack, each file by its own tool", async () => {
    expect(await checkStackFolder(stackCopy(), { kubernetes: true })).toEqual([
      "prometheus.yml",
      "rules/genomics-api.rules.yml",
      "alertmanager.yml",
      "otel-collector.yaml",
      "jaeger.yaml",
    ]);
  }, 60_000);

  it("should name a broken rule file with promtool's message", async () => {
    const { dir, ruleFile } = brokenRuleCopy();
    const message = await failure(() => checkStackFolder(dir));
    expect(message).toContain(`promtool check rules ${ruleFile}: `);
    expect(message).toMatch(/genomics-api\.rules\.yml: \d+:\d+: group "genomics-api-sli", rule 1, .*parse error/);
  }, 60_000);

  it("should name every missing file with what it is for and the fix, a rule file prometheus.yml lists too", async () => {
    const dir = stackCopy();
    rmSync(path.join(dir, "alertmanager.yml"));
    rmSync(path.join(dir, "rules", "genomics-api.rules.yml"));
    const lines = (await failure(() => checkStackFolder(dir))).split("\n");
    expect(lines).toEqual([
      `--stack ${dir}: not a usable stack folder:`,
      `  ${dir}/alertmanager.yml: missing: Alertmanager's routes and receivers; copy it from env/stack/alertmanager.yml, or start from a copy of the shipped stack: cp -r env/stack my-stack`,
      `  ${dir}/prometheus.yml: rule_files lists rules/genomics-api.rules.yml, which is not in the folder (${dir}/rules/genomics-api.rules.yml); add it or drop the line`,
    ]);
  }, 60_000);

  it("should name a second job that is not the stack's own (only one scrapes the target), only when the run is local", async () => {
    const dir = stackCopy();
    const config = path.join(dir, "prometheus.yml");
    writeFileSync(config, `${readFileSync(config, "utf8")}  - job_name: my-exporter\n    static_configs:\n      - targets: ["127.0.0.1:9999"]\n`);
    expect(await failure(() => checkStackFolder(dir, { local: true }))).toContain(
      `${config}: scrape jobs "genomics-api", "my-exporter" are not the stack's own (otel-collector, otel-collector-internal, jaeger,`,
    );
    expect(await checkStackFolder(dir, { kubernetes: true })).toContain("prometheus.yml");
  }, 60_000);

  it("should refuse a folder that does not exist", async () => {
    expect(await failure(() => checkStackFolder("/nonexistent/stack"))).toMatch(
      /^--stack \/nonexistent\/stack: no such folder; give a folder that holds prometheus\.yml/,
    );
  });

  it("should win over SLO_HARNESS_STACK_DIR once checked", async () => {
    const dir = stackCopy();
    process.env.SLO_HARNESS_STACK_DIR = path.join(repoRoot, "env", "stack");
    try {
      await useStackFolder(dir);
      expect(stackDir()).toBe(dir);
    } finally {
      delete process.env.SLO_HARNESS_STACK_DIR;
    }
  }, 60_000);
});

describe("slo-harness --stack", () => {
  it("should validate an experiment with a good stack folder, and exit 2 naming the broken rule file", async () => {
    const good = await runCli(["validate", "experiments/smoke.yaml", "--stack", stackCopy()]).result;
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^ok {2}\S+my-stack: a stack folder \(prometheus\.yml, rules\/genomics-api\.rules\.yml, alertmanager\.yml/m);
    const { dir, ruleFile } = brokenRuleCopy();
    const broken = await runCli(["run", "experiments/smoke.yaml", "--dry-run", "--stack", dir]).result;
    expect(broken.code).toBe(2);
    expect(broken.stdout).toBe("");
    expect(broken.stderr).toContain(`slo-harness: --stack ${dir}: not a usable stack folder:\n  promtool check rules ${ruleFile}: `);
  }, 120_000);

  it("should exit 2 from check --stack when a file a provider reads is missing", async () => {
    const dir = stackCopy();
    rmSync(path.join(dir, "jaeger.yaml"));
    const { code, stderr } = await runCli(["check", "--stack", dir, "--offline"]).result;
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr: `slo-harness: --stack ${dir}: not a complete stack folder:\n  ${dir}/jaeger.yaml: missing: Jaeger's configuration; copy it from env/stack/jaeger.yaml, or start from a copy of the shipped stack: cp -r env/stack my-stack\n`,
    });
  }, 60_000);
});
