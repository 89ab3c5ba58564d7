import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cruise, type ICruiseResult } from "dependency-cruiser";
import { repoRoot } from "../core/paths.js";

/**
 * Libraries that cost every command a noticeable start (`--version` took 1.5–2 s with them, 0.45 s
 * without): they are imported where a run first needs them (`await import(...)`), never on the
 * static import path from the CLI's entry.
 */
const HEAVY = ["@kubernetes/client-node", "testcontainers", "dockerode", "playwright-core"];

/** Each heavy library the entry reaches through static imports, with the chain of files that does it. */
async function heavyChains(root: string, entry: string): Promise<string[]> {
  const cwd = process.cwd();
  process.chdir(root);
  let result: ICruiseResult;
  try {
    const { output } = await cruise([entry], {
      doNotFollow: { path: "node_modules" },
      tsPreCompilationDeps: true,
      tsConfig: { fileName: "tsconfig.json" },
    });
    result = output as ICruiseResult;
  } finally {
    process.chdir(cwd);
  }
  const bySource = new Map(result.modules.map((m) => [m.source, m]));
  const cameFrom = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  const chains: string[] = [];
  while (queue.length > 0) {
    const source = queue.shift()!;
    for (const d of bySource.get(source)?.dependencies ?? []) {
      if (d.dynamic || d.dependencyTypes.some((t) => t === "type-only" || t === "dynamic-import")) continue;
      const heavy = HEAVY.find((h) => d.module === h || d.module.startsWith(`${h}/`));
      if (heavy) {
        const chain = [heavy];
        for (let at: string | undefined = source; at; at = cameFrom.get(at)) chain.unshift(at);
        chains.push(chain.join(" → "));
        continue;
      }
      if (cameFrom.has(d.resolved)) continue;
      cameFrom.set(d.resolved, source);
      queue.push(d.resolved);
    }
  }
  return [...new Set(chains)];
}

describe("what the CLI loads at startup", () => {
  it("should reach no heavy library through static imports", async () => {
    expect(await heavyChains(repoRoot, "runner/cli.ts")).toEqual([]);
  }, 120_000);

  it("should name the chain of a static import that does reach one", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "slo-harness-startup-"));
    const file = (name: string, text: string) => (
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true }),
      writeFileSync(path.join(root, name), text)
    );
    file("tsconfig.json", JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }));
    file(
      "runner/cli.ts",
      'import { start } from "../env/provider.js";\nimport type { X } from "../env/types.js";\nexport const cli = start;\nexport type Y = X;\n',
    );
    file(
      "env/provider.ts",
      'import { GenericContainer } from "testcontainers";\nexport const start = () => import("./lazy.js");\nexport const c = GenericContainer;\n',
    );
    file("env/lazy.ts", 'import { KubeConfig } from "@kubernetes/client-node";\nexport const k = KubeConfig;\n');
    file("env/types.ts", 'import type { CoreV1Api } from "@kubernetes/client-node";\nexport type X = CoreV1Api;\n');
    expect(await heavyChains(root, "runner/cli.ts")).toEqual(["runner/cli.ts → env/provider.ts → testcontainers"]);
  }, 120_000);
});
