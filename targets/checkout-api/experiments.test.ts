import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runCli, type CliResult } from "../../test/cli.js";
import { ReportSchema, type Report } from "../../core/report-schema.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const experiment = (name: string) => path.join(here, "experiments", `${name}.yaml`);
const reportOf = (out: string, id: string) => ReportSchema.parse(JSON.parse(readFileSync(path.join(out, id, "report.json"), "utf8")));

/**
 * Issue 18's bar: a team's own service, in another language, declared only in its target.yaml,
 * passes its smoke and fault experiments on the local and testcontainers providers through the CLI.
 */
describe.each([
  ["local", ["smoke", "hang"], []],
  ["testcontainers", ["smoke-containers", "hang-containers"], ["--images", "local"]],
])("checkout-api's experiments on the %s provider", (provider, ids, flags) => {
  const out = mkdtempSync(path.join(tmpdir(), `slo-harness-checkout-${provider}-`));
  let result: CliResult;
  const reports: Report[] = [];

  beforeAll(async () => {
    result = await runCli(["run", ...ids.map(experiment), ...flags, "--out", out, "--quiet"]).result;
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
    const [smoke] = reports;
    expect(smoke!.environment.components.map((c) => c.name)).toContain("checkout-api");
    expect(smoke!.environment.rules.files.map((f) => path.basename(f))).toContain("checkout-api.rules.yml");
  });

  it("should stop the target's own process or container, see it stopped, and undo it", () => {
    const hang = reports[1]!;
    expect(hang.faults.map((f) => ({ id: f.id, target: f.target, verified: f.effectVerified, rolledBack: Boolean(f.rolledBackAt) }))).toEqual([
      { id: "checkout-hung", target: "checkout-api", verified: true, rolledBack: true },
    ]);
  });
});
