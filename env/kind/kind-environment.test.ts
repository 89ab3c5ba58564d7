import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { KindEnvironment } from "./kind-environment.js";
import { requireTools } from "./kind-tools.js";

describe("KindEnvironment without its tools", () => {
  let emptyDir: string;
  let partialDir: string;
  const savedPath = process.env.PATH;

  beforeAll(() => {
    emptyDir = mkdtempSync(path.join(os.tmpdir(), "kind-empty-path-"));
    partialDir = mkdtempSync(path.join(os.tmpdir(), "kind-partial-path-"));
    for (const tool of ["helm", "docker"]) {
      writeFileSync(path.join(partialDir, tool), "#!/bin/sh\nexit 0\n");
      chmodSync(path.join(partialDir, tool), 0o755);
    }
  });

  afterAll(() => {
    process.env.PATH = savedPath;
    rmSync(emptyDir, { recursive: true, force: true });
    rmSync(partialDir, { recursive: true, force: true });
  });

  it("should refuse to start without kind, saying how to install it, and create nothing", async () => {
    const runDirs = () =>
      readdirSync(os.tmpdir())
        .filter((d) => d.startsWith("slo-harness-kind-"))
        .sort();
    const before = runDirs();
    process.env.PATH = emptyDir;
    try {
      await expect(new KindEnvironment().start()).rejects.toThrow(/kind: go install sigs\.k8s\.io\/kind@v0\.33\.0/);
      await expect(new KindEnvironment().start()).rejects.toThrow(/helm: see https:\/\/helm\.sh\/docs\/intro\/install/);
    } finally {
      process.env.PATH = savedPath;
    }
    expect(runDirs()).toEqual(before);
  });

  it("should name only the missing tool when the others are on PATH", () => {
    expect(() => requireTools({ PATH: partialDir })).toThrow(/needs kind on PATH, and it was not found:\n  kind: /);
    expect(() => requireTools({ PATH: partialDir })).not.toThrow(/helm:|docker:/);
  });
});
