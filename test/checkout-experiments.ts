import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "../core/paths.js";
import { ReportSchema, type Report } from "../core/report-schema.js";
import { runCli, type CliResult } from "./cli.js";

const experiments = path.join(repoRoot, "targets", "checkout-api", "experiments");

/** One experiment's report: in its own folder when a suite ran several, at the top when it ran alone. */
function reportOf(out: string, id: string): Report {
  const own = path.join(out, id, "report.json");
  return ReportSchema.parse(JSON.parse(readFileSync(existsSync(own) ? own : path.join(out, "report.json"), "utf8")));
}

/**
 * Issue 18's bar: a team's own service, in another language, declared only in its target.yaml,
 * passes its smoke and fault experiments through the CLI. `npm test` runs some of them on each
 * provider, the nightly suite the rest.
 */
export function describeCheckoutExperiments(provider: string, ids: string[], flags: string[] = []): void {
  describe(`checkout-api's ${ids.join(" and ")} on the ${provider} provider`, () => {
    const out = mkdtempSync(path.join(tmpdir(), `slo-harness-checkout-${provider}-`));
    let result: CliResult;
    const reports: Report[] = [];

    beforeAll(async () => {
      result = await runCli(["run", ...ids.map((id) => path.join(experiments, `${id}.yaml`)), ...flags, "--out", out, "--quiet"]).result;
      for (const id of ids) reports.push(reportOf(out, id));
    }, 1_200_000);

    it("should pass every expectation and exit 0", () => {
      expect({
        code: result.code,
        verdicts: reports.map((r) => [r.environment.provider, r.verdict, r.expectations.map((e) => `${e.id}: ${e.verdict}`)]),
      }).toEqual({
        code: 0,
        verdicts: reports.map((r) => [provider, "pass", r.expectations.map((e) => `${e.id}: pass`)]),
      });
    });

    it("should have run the target itself, scraped it under its name and loaded its rules", () => {
      for (const report of reports) {
        expect(report.environment.components.map((c) => c.name)).toContain("checkout-api");
        expect(report.environment.rules.files.map((f) => path.basename(f))).toContain("checkout-api.rules.yml");
      }
    });

    const hang = ids.findIndex((id) => id.startsWith("hang"));
    if (hang >= 0)
      it("should stop the target's own process or container, see it stopped, and undo it", () => {
        expect(reports[hang]!.faults.map((f) => ({ id: f.id, target: f.target, verified: f.effectVerified, rolledBack: Boolean(f.rolledBackAt) }))).toEqual([
          { id: "checkout-hung", target: "checkout-api", verified: true, rolledBack: true },
        ]);
      });
  });
}
