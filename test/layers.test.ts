import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cruise, type ICruiseResult, type IConfiguration } from "dependency-cruiser";
import { repoRoot } from "../core/paths.js";

// The same file `npx depcruise` reads; loaded by path, as it is plain JavaScript.
const configFile: string = path.join(repoRoot, ".dependency-cruiser.mjs");
const config = ((await import(configFile)) as { default: IConfiguration }).default;

const FOLDERS = ["core", "env", "scenarios", "chaos", "assertions", "reports", "runner"];

async function violationsIn(root: string, folders: string[]): Promise<string[]> {
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const { output } = await cruise(folders, { ruleSet: config, ...config.options, validate: true });
    return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
  } finally {
    process.chdir(cwd);
  }
}

/** ARCHITECTURE.md's layer rule: core imports nothing of ours, each stage only core, only runner everything, no circles. */
describe("the layer rule", () => {
  it("should hold for the project's own code", async () => {
    expect(await violationsIn(repoRoot, FOLDERS)).toEqual([]);
  }, 120_000);

  it("should catch an upward import, a stage importing another stage, and a circle", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "slo-harness-layers-"));
    const file = (name: string, text: string) => (
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true }),
      writeFileSync(path.join(root, name), text)
    );
    file("tsconfig.json", JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }));
    file("runner/cli.ts", "export const cli = 1;\n");
    file("core/timeline.ts", 'import { cli } from "../runner/cli.js";\nexport const t = cli;\n');
    file("chaos/injector.ts", 'import { probe } from "../assertions/probe.js";\nexport const i = probe;\n');
    file("assertions/probe.ts", 'import { other } from "./other.js";\nexport const probe = other;\n');
    file("assertions/other.ts", 'import { probe } from "./probe.js";\nexport const other = 1;\nexport const back = probe;\n');
    expect((await violationsIn(root, ["core", "chaos", "assertions", "runner"])).sort()).toEqual([
      "core-imports-nothing-of-ours: core/timeline.ts → runner/cli.ts",
      "no-circles: assertions/other.ts → assertions/probe.ts",
      "stages-import-only-core: chaos/injector.ts → assertions/probe.ts",
    ]);
  }, 120_000);
});
