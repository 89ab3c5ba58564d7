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

  describe("slo backtest, with promtool, on the stack named as the README does (a relative folder)", () => {
    const html = path.join(tmp(), "alert-quality.html");
    let result: { out: string; exitCode: number | undefined };
    beforeAll(async () => {
      result = await run(
        "slo",
        "backtest",
        path.relative(process.cwd(), path.join(repoRoot, "env", "stack")),
        "--profiles",
        "outage,blip",
        "--html",
        html,
        "--json",
      );
    }, 240_000);

    it("should replay only the profiles asked for and flag the shipped page that fires on a blip", () => {
      expect(result.exitCode).toBe(1);
      const backtest = JSON.parse(result.out) as {
        alerts: {
          alert: { name: string; severity: string };
          outcomes: { profile: { name: string }; fired: boolean; detectionMs?: number }[];
          flags: string[];
        }[];
      };
      const page = backtest.alerts.find((a) => a.alert.name === "AnalysisAPIErrorBudgetBurn")!;
      expect(page.outcomes.map((o) => [o.profile.name, o.fired])).toEqual([
        ["outage", true],
        ["blip", true],
      ]);
      // 1x over 1h for 5m, at a 1m evaluation interval: the Workbook's 36 s to cross, then `for`.
      expect(page.outcomes[0]!.detectionMs).toBe(360_000);
      expect(page.flags).toEqual(["fires on an insignificant event: blip spends only 0.463 % of the budget"]);
    });

    it("should write the alert-quality page with the shipped rule beside the generated multi-window ones", () => {
      const page = readFileSync(html, "utf8");
      const rows = [...page.matchAll(/<tr class="(shipped|generated)"><td><strong>(\w+)<\/strong> \[(\w+)\]/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
      expect(rows).toEqual(
        expect.arrayContaining([
          "shipped AnalysisAPIErrorBudgetBurn page",
          "generated AnalysisAvailability99ErrorBudgetBurn page",
          "generated AnalysisAvailability99ErrorBudgetBurn ticket",
        ]),
      );
      expect(rows.indexOf("shipped AnalysisAPIErrorBudgetBurn page")).toBeLessThan(rows.indexOf("generated AnalysisAvailability99ErrorBudgetBurn page"));
    });
  });

  it("should refuse an unknown fault profile and say which was meant", async () => {
    await expect(run("slo", "backtest", path.join(repoRoot, "env", "stack"), "--profiles", "outage,blipp")).rejects.toThrow(
      '--profiles: expected some of outage, fast-burn, slow-burn, creeping, blip, one-error-low-traffic, got "outage,blipp"; did you mean "blip"?',
    );
  });
});
