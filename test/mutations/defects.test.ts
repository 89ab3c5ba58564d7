import { readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import YAML from "yaml";
import { DEFECTS, replaceOnce } from "./defects.js";
import { copyStack } from "./stack-copy.js";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(path.join(dir, f)).isDirectory() ? files(path.join(dir, f)) : [path.join(dir, f)]));
}

/**
 * Each defect must change what it claims to and leave every file loadable: a mutant that breaks
 * start-up would be "caught" by a crash, which says nothing about the experiments.
 */
describe("seeded defects", () => {
  it("should have unique ids and name the expectations that must catch them", () => {
    expect(new Set(DEFECTS.map((d) => d.id)).size).toBe(DEFECTS.length);
    expect(DEFECTS.length).toBeGreaterThanOrEqual(10);
    for (const d of DEFECTS) expect(d.mustNotPass.length).toBeGreaterThan(0);
  });

  for (const defect of DEFECTS) {
    it(`should seed ${defect.id} into a copy and keep the copy loadable`, async () => {
      const pristine = copyStack(`${defect.id}-pristine`);
      const copy = copyStack(defect.id);
      try {
        defect.apply(copy);
        const changed = files(copy.stack)
          .concat(files(copy.target))
          .filter((f) => {
            const rel = f.startsWith(copy.stack)
              ? path.join(pristine.stack, path.relative(copy.stack, f))
              : path.join(pristine.target, path.relative(copy.target, f));
            return readFileSync(f, "utf8") !== readFileSync(rel, "utf8");
          });
        expect(changed.length).toBeGreaterThan(0);
        for (const file of changed) {
          if (/\.ya?ml$/.test(file)) expect(() => YAML.parse(readFileSync(file, "utf8"))).not.toThrow();
          if (file.endsWith(".rules.yml")) expect((await execa("promtool", ["check", "rules", file], { reject: false })).exitCode).toBe(0);
          if (file.endsWith(".py")) expect((await execa("python3", ["-m", "py_compile", file], { reject: false, all: true })).all).toBe("");
        }
      } finally {
        rmSync(path.dirname(copy.stack), { recursive: true, force: true });
        rmSync(path.dirname(pristine.stack), { recursive: true, force: true });
      }
    });
  }

  it("should refuse to seed a defect whose anchor is gone", () => {
    const copy = copyStack("anchor");
    try {
      expect(() => replaceOnce(path.join(copy.stack, "alertmanager.yml"), "no such text", "x")).toThrow(
        /expected exactly one no such text to seed the defect, found 0/,
      );
    } finally {
      rmSync(path.dirname(copy.stack), { recursive: true, force: true });
    }
  });
});
