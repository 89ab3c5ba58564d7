import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { repoRoot } from "../../core/paths.js";
import { installAsDependency, packHarness } from "../../env/images/utils/harness-package.js";

/**
 * The package as a user gets it: `npm pack` of the built tree, installed into an empty folder from
 * the npm cache the install step filled, and its CLI run from there, with no repository around it.
 */
describe("the npm package", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-pack-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("should pack, install into an empty folder and answer --version, --help and validate from there", async () => {
    const { tarball, files } = await packHarness(dir);
    expect(files).toEqual(
      expect.arrayContaining(["LICENSE", "bin/slo-harness.js", "dist/runner/cli.js", "env/stack/prometheus.yml", "experiments/smoke.yaml"]),
    );
    expect(files.filter((p) => /\.test\.|^dist\/bench\/|screenshot|^node_modules\/|\.venv/.test(p))).toEqual([]);

    const { app, cli } = await installAsDependency(tarball, dir);
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
    expect((await execa(cli, ["--version"], { cwd: app })).stdout.trim()).toBe(pkg.version);
    expect((await execa(cli, ["--help"], { cwd: app })).stdout).toMatch(/Exit codes:/);
    const smoke = path.join(app, "node_modules", "slo-harness", "experiments", "smoke.yaml");
    expect((await execa(cli, ["validate", smoke], { cwd: app })).stdout).toMatch(/^ok {2}.*smoke\.yaml/);
    // The package's contracts can be imported by name.
    const imported = await execa("node", ["--input-type=module", "-e", 'import { EXIT } from "slo-harness"; console.log(EXIT.inconclusive)'], { cwd: app });
    expect(imported.stdout.trim()).toBe("3");
  }, 360_000);
});
