import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { repoRoot } from "../../core/paths.js";
import { readToolVersions } from "../shared/tool-versions.js";
import { buildHarnessImage, HARNESS_IMAGE_TOOLS, type HarnessImage } from "./build-harness-image.js";

// A cold build may debootstrap the Debian base and fetch the target's wheels: minutes.
const BUILD_TIMEOUT_MS = 15 * 60_000;

/** The image as a CI job runs it: no network at all, so the run can only reach its own loopback. */
function runImage(image: string, args: string[], options: { entrypoint?: string; volume?: string } = {}) {
  const flags = ["run", "--rm", "--network", "none"];
  if (options.entrypoint) flags.push("--entrypoint", options.entrypoint);
  if (options.volume) flags.push("-v", options.volume);
  return execa("docker", [...flags, image, ...args], { reject: false, all: true, timeout: 600_000 });
}

describe("buildHarnessImage", () => {
  let image: HarnessImage;
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
  const out = mkdtempSync(path.join(tmpdir(), "slo-harness-image-run-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  beforeAll(async () => {
    const info = await execa("docker", ["info"], { reject: false });
    if (info.exitCode !== 0) await execa("bash", [path.join(repoRoot, "tools", "install-docker.sh")], { stdio: "inherit" });
    image = await buildHarnessImage();
  }, BUILD_TIMEOUT_MS);

  it("should tag it by its inputs and by the package's version, and reuse it while they hold", async () => {
    expect(image.ref).toMatch(/^slo-harness\/harness:[0-9a-f]{12}$/);
    expect(image.versionRef).toBe(`slo-harness/harness:${pkg.version}`);
    const lines: string[] = [];
    expect(await buildHarnessImage({ log: (line) => lines.push(line) })).toEqual(image);
    expect(lines).toEqual([`harness: ${image.ref} (cached)`]);
  }, 120_000);

  it("should answer --version with the package's and run the pinned Node.js", async () => {
    expect((await runImage(image.versionRef, ["--version"])).stdout.trim()).toBe(pkg.version);
    expect((await runImage(image.versionRef, ["--version"], { entrypoint: "node" })).stdout.trim()).toBe(`v${readToolVersions().HARNESS_IMAGE_NODE}`);
  });

  it("should hold the Go-built tools and the runtime dependencies, not the development ones", async () => {
    const listed = await runImage(image.ref, ["-c", "ls /var/cache/slo-harness/bin; ls /opt/slo-harness/node_modules"], { entrypoint: "bash" });
    const names = String(listed.stdout).split("\n");
    expect(names).toEqual(expect.arrayContaining([...HARNESS_IMAGE_TOOLS, "execa", "zod", "testcontainers"]));
    expect(names.filter((n) => ["jest", "typescript", "eslint", "playwright-core", "ts-jest"].includes(n))).toEqual([]);
  });

  it("should run the smoke game day on the embedded stack inside it, with no network, and write its reports to a mounted folder", async () => {
    const run = await runImage(image.versionRef, ["run", "experiments/smoke.yaml", "--out", "/reports"], { volume: `${out}:/reports` });
    expect(String(run.all)).toMatch(/report: \/reports\/report\.html/);
    expect(run.exitCode).toBe(0);
    expect(existsSync(path.join(out, "junit.xml"))).toBe(true);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as { verdict: string; harness: { version: string; node: string } };
    expect(report.verdict).toBe("pass");
    expect(report.harness).toEqual({ version: pkg.version, node: `v${readToolVersions().HARNESS_IMAGE_NODE}` });
  }, 600_000);
});
