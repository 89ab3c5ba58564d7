import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { parse } from "yaml";
import { cachedTool } from "../core/tool-binaries.js";
import { runCli } from "./cli.js";

const KIT = path.join("examples", "ci");
const GITHUB = path.join(KIT, "github-actions-nightly.yml");
const GITLAB = path.join(KIT, "gitlab-ci-nightly.yml");

/** `npx slo-harness <command...> --flag ...` lines of a CI file, as [command words, flags]. */
function harnessCalls(text: string): [string[], string[]][] {
  return [...text.matchAll(/npx slo-harness ([^\n;]+)/g)].map((m) => {
    const words = m[1]!.split(/\s+/);
    const command = words.filter((w, i) => !w.startsWith("-") && !w.includes("/") && !w.startsWith('"') && words.slice(0, i).every((p) => !p.startsWith("-")));
    return [command, words.filter((w) => w.startsWith("--"))];
  });
}

describe("the CI kit (examples/ci)", () => {
  it("should pass actionlint, which does catch a broken workflow", async () => {
    const actionlint = cachedTool("actionlint");
    const ok = await execa(actionlint, ["-no-color", GITHUB], { reject: false });
    expect({ code: ok.exitCode, out: ok.stdout }).toEqual({ code: 0, out: "" });
    const broken = path.join(mkdtempSync(path.join(tmpdir(), "ci-kit-")), "broken.yml");
    writeFileSync(broken, readFileSync(GITHUB, "utf8").replace("runs-on: ubuntu-24.04", "runs-on: ubuntu-24.04\n    timeout-minute: 90"));
    const bad = await execa(actionlint, ["-no-color", broken], { reject: false });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toMatch(/unexpected key "timeout-minute"/);
  });

  it("should keep GitLab's job well-formed: a script, JUnit and report artifacts, the tool cache", () => {
    const job = (
      parse(readFileSync(GITLAB, "utf8")) as Record<string, { script: string[]; artifacts: { reports: { junit: string } }; cache: { paths: string[] }[] }>
    )["slo-game-day"]!;
    expect(job.script.some((line) => line.includes("tools/install.sh"))).toBe(true);
    expect(job.artifacts.reports.junit).toBe("reports/**/junit.xml");
    expect(job.cache.flatMap((c) => c.paths)).toContain(".slo-harness-cache/");
  });

  it("should only call commands and flags the harness has", async () => {
    const calls = [GITHUB, GITLAB].flatMap((f) => harnessCalls(readFileSync(f, "utf8")));
    expect(calls.length).toBeGreaterThanOrEqual(4);
    for (const [command, flags] of calls) {
      const help = await runCli([...command, "--help"]).result;
      expect({ command, code: help.code }).toEqual({ command, code: 0 });
      for (const flag of flags) expect({ command, flag, listed: help.stdout.includes(flag) }).toEqual({ command, flag, listed: true });
    }
  });
});
