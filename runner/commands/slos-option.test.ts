import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "../../core/paths.js";
import { runCli } from "../../test/cli.js";

const SLOTH_FIXTURES = path.join(repoRoot, "assertions", "slo", "formats", "fixtures");

/**
 * A team's folder as it would keep it: two experiments naming the team's own SLOs (a Sloth file
 * beside them, a Pyrra file in slos/), and a shared folder of OpenSLO files given with --slos.
 */
function teamFolder(): { dir: string; shared: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-team-"));
  const smoke = readFileSync(path.join(repoRoot, "experiments", "smoke.yaml"), "utf8");
  writeFileSync(path.join(dir, "checkout.yaml"), smoke.replace("slos: [analysis-availability-99]", "slos: [requests-availability, caddy-response-latency]"));
  writeFileSync(path.join(dir, "shared.yaml"), smoke.replace("slos: [analysis-availability-99]", "slos: [sloth-slo-my-service]"));
  copyFileSync(path.join(SLOTH_FIXTURES, "sloth-getting-started.yml"), path.join(dir, "availability.yml"));
  mkdirSync(path.join(dir, "slos"));
  copyFileSync(path.join(SLOTH_FIXTURES, "pyrra-caddy-response-latency.yaml"), path.join(dir, "slos", "caddy.yaml"));
  const shared = mkdtempSync(path.join(tmpdir(), "slo-harness-shared-slos-"));
  copyFileSync(path.join(SLOTH_FIXTURES, "sloth-openslo-getting-started.yml"), path.join(shared, "openslo.yml"));
  return { dir, shared };
}

describe("--slos and SLO files kept with experiments", () => {
  it("should validate a folder whose experiments name SLOs beside them and in --slos, reading only the experiments as experiments", async () => {
    const { dir, shared } = teamFolder();
    const { code, stdout, stderr } = await runCli(["validate", dir, "--slos", shared, "--json"]).result;
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const files = (JSON.parse(stdout) as { files: { file: string; ok: boolean }[] }).files;
    expect(files.map((f) => [path.basename(f.file), f.ok])).toEqual([
      ["checkout.yaml", true],
      ["shared.yaml", true],
    ]);
  }, 60_000);

  it("should refuse a name found only in --slos when --slos is not given, saying where it looked", async () => {
    const { dir } = teamFolder();
    const { code, stderr } = await runCli(["validate", path.join(dir, "shared.yaml")]).result;
    expect(code).toBe(2);
    expect(stderr).toContain('shared.yaml: slos[0]: no SLO named "sloth-slo-my-service" in ');
    expect(stderr).toContain("(beside the experiment)");
  }, 60_000);

  it("should check a folder of SLO files with check --slos, each read and its rules checked by promtool", async () => {
    const { shared } = teamFolder();
    const { stdout } = await runCli(["check", "--offline", "--slos", shared, "--json"]).result;
    const results = (JSON.parse(stdout) as { results: { check: string; status: string }[] }).results.filter((r) => r.check.includes("openslo.yml"));
    expect(results.map((r) => [r.check.replace(shared, "SHARED"), r.status])).toEqual([
      ["read SLO file SHARED/openslo.yml", "pass"],
      ["promtool check rules (generated from SHARED/openslo.yml)", "pass"],
    ]);
  }, 120_000);
});
