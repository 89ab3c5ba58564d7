import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { jest } from "@jest/globals";
import { Command } from "commander";
import { repoRoot } from "../../core/paths.js";
import { BadInputError } from "../../core/errors.js";
import { registerCheck } from "./check.js";
import { registerSlo } from "./slo.js";

function program(): Command {
  const p = new Command().exitOverride();
  registerSlo(p);
  registerCheck(p);
  return p;
}

async function run(...args: string[]): Promise<{ out: string; exitCode: number | undefined }> {
  const lines: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
  const err = jest.spyOn(console, "error").mockImplementation(() => undefined);
  const previous = process.exitCode;
  process.exitCode = undefined;
  try {
    await program().parseAsync(["node", "slo-harness", ...args]);
    return { out: lines.join("\n"), exitCode: process.exitCode as number | undefined };
  } finally {
    process.exitCode = previous;
    log.mockRestore();
    err.mockRestore();
  }
}

const tmp = () => mkdtempSync(path.join(tmpdir(), "slo-harness-cli-"));

describe("slo-harness slo and check", () => {
  it("should write generated rules with `slo rules --out`", async () => {
    const out = path.join(tmp(), "rules.yml");
    await run("slo", "rules", path.join(repoRoot, "slos", "analysis-availability-99.yaml"), "--out", out);
    expect(readFileSync(out, "utf8")).toContain("alert: AnalysisAvailability99ErrorBudgetBurn");
  });

  it("should write a compressed copy with `slo compress --factor`", async () => {
    const out = path.join(tmp(), "compressed.yml");
    await run(
      "slo",
      "compress",
      path.join(repoRoot, "env", "stack", "rules", "genomics-api.rules.yml"),
      "--factor",
      "60",
      "--out",
      out,
      "--scrape-interval",
      "1s",
    );
    expect(readFileSync(out, "utf8")).toContain('slo_harness_compression_factor: "60"');
  });

  it("should reject a bad factor as bad input", async () => {
    await expect(run("slo", "compress", "x.yml", "--factor", "0")).rejects.toThrow(BadInputError);
  });

  it("should turn a broken SLO file into bad input naming the file", async () => {
    await expect(run("slo", "rules", path.join(repoRoot, "env", "stack", "alertmanager.yml"))).rejects.toThrow(/alertmanager\.yml: apiVersion/);
  });

  it("should fail `check` on the article's rule file and name div and mul", async () => {
    const { out, exitCode } = await run(
      "check",
      path.join(repoRoot, "env", "stack"),
      "--rules",
      path.join(repoRoot, "env", "stack", "rules", "fixtures", "article-genomics-api.rules.yml"),
      "--quiet",
      "--offline",
    );
    expect(exitCode).toBe(1);
    expect(out).toMatch(/FAIL templates .*article-genomics-api\.rules\.yml: .*no "mul" or "div"/);
    expect(out).toMatch(/preflight of .*: [1-9]\d* failing, \d+ warning, \d+ passing, \d+ skipped checks/);
  }, 60_000);
});
