import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BadInputError } from "../../core/errors.js";
import { loadExperiment } from "../../runner/experiment-loader.js";
import { runCli } from "../cli.js";
import { hostileFiles } from "../../bench/hostile-files.js";

interface Outcome {
  name: string;
  refused: boolean;
  badInput: boolean;
  namesFile: boolean;
  namesField: boolean;
  ms: number;
  message: string;
}

/**
 * Every hostile experiment file is refused as bad input, naming the file and what is wrong: no
 * crash, no hang, nothing wrongly accepted. The one-second target is measured by `npm run bench
 * input`; here the 2 s bound only tells a hang or a blow-up (quadratic parsing of 40 000
 * keys took 14.7 s) from a loaded machine.
 */
const HANG_MS = 2_000;
describe("hostile experiment files", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-hostile-"));
  const files = hostileFiles();
  const outcomes: Outcome[] = [];

  beforeAll(() => {
    for (const f of files) writeFileSync(path.join(dir, `${f.name}.yaml`), f.text);
  });
  afterAll(() => {
    const crashed = outcomes.filter((o) => o.refused && !o.badInput).length;
    const accepted = outcomes.filter((o) => !o.refused).length;
    const slow = outcomes.filter((o) => o.ms > HANG_MS).length;
    const unnamed = outcomes.filter((o) => o.badInput && !(o.namesFile && o.namesField)).length;
    console.log(
      `${outcomes.length} hostile files: ${crashed} crashes, ${slow} over ${HANG_MS / 1000} s, ${accepted} wrongly accepted, ${unnamed} refused without naming the field; slowest ${Math.max(...outcomes.map((o) => o.ms))} ms`,
    );
  });

  it("should be at least sixty, each a different class", () => {
    expect(files.length).toBeGreaterThanOrEqual(60);
    expect(new Set(files.map((f) => f.name)).size).toBe(files.length);
  });

  for (const f of files) {
    it(`should refuse ${f.name} without hanging, naming the file and the problem`, () => {
      const file = path.join(dir, `${f.name}.yaml`);
      const started = performance.now();
      let outcome: Omit<Outcome, "ms">;
      try {
        loadExperiment(file);
        outcome = { name: f.name, refused: false, badInput: false, namesFile: false, namesField: false, message: "accepted" };
      } catch (err) {
        const message = (err as Error).message;
        outcome = {
          name: f.name,
          refused: true,
          badInput: err instanceof BadInputError,
          namesFile: message.includes(`${f.name}.yaml`),
          namesField: f.names.test(message),
          message,
        };
      }
      const ms = Math.round(performance.now() - started);
      outcomes.push({ ...outcome, ms });
      expect({ ...outcome, fast: ms < HANG_MS }).toEqual({
        name: f.name,
        refused: true,
        badInput: true,
        namesFile: true,
        namesField: true,
        message: outcome.message,
        fast: true,
      });
    });
  }

  it("should exit 2 through the CLI for the largest file, well within its time", async () => {
    const started = Date.now();
    const { code, stderr } = await runCli(["validate", path.join(dir, "fifty-megabytes.yaml")]).result;
    expect({ code, stderr: stderr.trim() }).toEqual({
      code: 2,
      stderr: expect.stringMatching(/fifty-megabytes\.yaml: 51200 KiB, more than the 256 KiB an experiment file may be/),
    });
    // Node's own start-up is most of this; the file itself is refused before it is read.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
