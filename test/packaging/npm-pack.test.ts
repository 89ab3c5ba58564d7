import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { repoRoot } from "../../core/paths.js";

/**
 * The package as a user gets it: `npm pack` of the built tree, installed into an empty folder from
 * the npm cache the install step filled, and its CLI run from there, with no repository around it.
 */
describe("the npm package", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-pack-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("should pack, install into an empty folder and answer --version, --help and validate from there", async () => {
    // dist/ is already built by the install step; --ignore-scripts keeps this test from rebuilding it.
    const packed = await execa("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: repoRoot });
    const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(["LICENSE", "bin/slo-harness.js", "dist/runner/cli.js", "env/stack/prometheus.yml", "experiments/smoke.yaml"]),
    );
    expect(paths.filter((p) => /\.test\.|^dist\/bench\/|screenshot|^node_modules\//.test(p))).toEqual([]);

    const app = path.join(dir, "app");
    await execa("mkdir", ["-p", app]);
    writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "uses-slo-harness", version: "1.0.0", private: true }));
    await execa("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", path.join(dir, filename)], {
      cwd: app,
      timeout: 300_000,
    });
    const cli = path.join(app, "node_modules", ".bin", "slo-harness");
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
