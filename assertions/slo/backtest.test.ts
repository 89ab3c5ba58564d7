import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "../../core/paths.js";
import { backtestRules, type AlertBacktest } from "./backtest.js";
import { renderBacktest } from "./backtest-table.js";
import type { BurnAlertPolicy } from "./burn-rate-policy.js";
import { workbookBudgetAtFire, workbookTimeToFireMs } from "./error-budget.js";
import type { FaultProfile } from "./fault-profile.js";
import { generateRules, renderRuleFile } from "./rule-generator.js";
import { loadSloFile } from "./slo-loader.js";
import { parsePromDuration } from "./utils/prom-duration.js";

const MIN = 60_000;
const INTERVAL = MIN;
const slo = loadSloFile(path.join(repoRoot, "slos", "analysis-availability-99.yaml"))[0]!;
const shippedRules = path.join(repoRoot, "env", "stack", "rules", "genomics-api.rules.yml");
// The Workbook's two page pairs; the 3-day ticket would make every promtool run simulate a week.
const PAGE: BurnAlertPolicy = {
  severity: "page",
  windows: [
    { longWindow: "1h", shortWindow: "5m", burnRate: 14.4 },
    { longWindow: "6h", shortWindow: "30m", burnRate: 6 },
  ],
};

function writeRules(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "slo-harness-test-")), "rules.yml");
  writeFileSync(file, text);
  return file;
}

/** The Workbook's formula, straight from the policy: the first pair to fire wins. */
function workbookDetectionMs(policy: BurnAlertPolicy, e: number): number {
  return Math.min(...policy.windows.map((w) => workbookTimeToFireMs(0.01, e, parsePromDuration(w.longWindow), w.burnRate)));
}

const CASES = [1, 0.5, 0.2, 0.15, 0.1, 0.07].map((e): FaultProfile => ({ name: `e${e}`, errorRatio: e, durationMs: 6 * 60 * MIN, ratePerSecond: 10 }));

describe("backtestRules", () => {
  let page: AlertBacktest;
  let article: AlertBacktest;

  beforeAll(async () => {
    const generated = writeRules(renderRuleFile(generateRules(slo, { policy: [PAGE] }), "test"));
    const result = await backtestRules([shippedRules, generated], [slo], { intervalMs: INTERVAL, profiles: CASES });
    page = result.alerts.find((a) => a.alert.name === "AnalysisAvailability99ErrorBudgetBurn")!;
    article = result.alerts.find((a) => a.alert.name === "AnalysisAPIErrorBudgetBurn")!;
  }, 120_000);

  it.each(CASES.map((c, i) => [c.errorRatio, i] as const))("should fire the Workbook pairs within one evaluation of the formula at error ratio %p", (e, i) => {
    const expected = workbookDetectionMs(PAGE, e);
    const o = page.outcomes[i]!;
    expect(o.fired).toBe(true);
    expect(o.detectionMs!).toBeGreaterThanOrEqual(expected);
    expect(o.detectionMs! - expected).toBeLessThanOrEqual(INTERVAL);
  });

  it.each(CASES.map((c, i) => [c.errorRatio, i] as const))(
    "should fire the article's 1h rule within one evaluation of the formula plus for at error ratio %p",
    (e, i) => {
      const expected = workbookTimeToFireMs(0.01, e, 60 * MIN, 1) + 5 * MIN;
      const o = article.outcomes[i]!;
      expect(o.detectionMs!).toBeGreaterThanOrEqual(expected);
      expect(o.detectionMs! - expected).toBeLessThanOrEqual(INTERVAL);
    },
  );

  it("should measure the budget spent before the page as burn rate × window / period", () => {
    // At 100 % errors the 1h pair fires after 2 % of a 30-day budget; one evaluation adds e·interval of budget.
    const o = page.outcomes[0]!;
    expect(Math.abs(o.budgetAtDetection! - workbookBudgetAtFire(14.4, 60 * MIN, slo.periodMs))).toBeLessThanOrEqual((1 * INTERVAL) / (0.01 * slo.periodMs));
  });

  it("should measure the reset within one evaluation of the short windows' prediction", () => {
    // After 6h at 100 %, the 30m window of the 6x pair clears last: 30m × (1 − 0.06).
    const o = page.outcomes[0]!;
    expect(Math.abs(o.resetMs! - 30 * MIN * 0.94)).toBeLessThanOrEqual(INTERVAL);
    // The article's 1h window holds the outage for 1h × (1 − 0.01).
    expect(Math.abs(article.outcomes[0]!.resetMs! - 60 * MIN * 0.99)).toBeLessThanOrEqual(INTERVAL);
  });

  it("should agree with its own predictions", () => {
    for (const o of [...page.outcomes, ...article.outcomes]) expect(Math.abs(o.detectionMs! - o.predictedDetectionMs!)).toBeLessThanOrEqual(INTERVAL);
  });

  it("should flag the article's rule firing on a blip and pass the Workbook's", async () => {
    const generated = writeRules(renderRuleFile(generateRules(slo, { policy: [PAGE] }), "test"));
    const blip: FaultProfile = { name: "blip", errorRatio: 1, durationMs: 2 * MIN, ratePerSecond: 10 };
    const result = await backtestRules([shippedRules, generated], [slo], { intervalMs: INTERVAL, profiles: [blip] });
    const flags = Object.fromEntries(result.alerts.map((a) => [a.alert.name, a.flags]));
    expect(flags.AnalysisAPIErrorBudgetBurn).toContain("fires on an insignificant event: blip spends only 0.463 % of the budget");
    expect(flags.AnalysisAvailability99ErrorBudgetBurn).toEqual(["never fired, not even on blip"]);
    expect(renderBacktest(result)).toMatch(/AnalysisAPIErrorBudgetBurn \[page\]\s+1x over 1h\s+5m\s+1\/1\s+1\s+6m\s+1h\s+flagged/);
  }, 60_000);

  it("should flag a rule that can never fire", async () => {
    const lax = { ...slo, name: "lax-90", objective: 0.9 };
    const generated = writeRules(renderRuleFile(generateRules(lax, { policy: [PAGE] }), "test"));
    const outage: FaultProfile = { name: "outage", errorRatio: 1, durationMs: 60 * MIN, ratePerSecond: 10 };
    const result = await backtestRules([generated], [lax], { intervalMs: INTERVAL, profiles: [outage] });
    expect(result.alerts[0]!.flags[0]).toMatch(/^can never fire: threshold 1\.44 is above any error ratio/);
  }, 60_000);

  it("should skip alerts no SLO label ties to a known SLO", async () => {
    const orphan = writeRules("groups:\n  - name: g\n    rules:\n      - alert: Orphan\n        expr: up == 0\n");
    const result = await backtestRules([orphan], [slo], { profiles: [] });
    expect(result.skipped).toEqual([{ alert: "Orphan", file: orphan, reason: "no slo label ties it to an SLO" }]);
  });
});
