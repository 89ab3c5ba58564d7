import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { loadExperiment } from "../runner/experiment-loader.js";
import { hostileFiles } from "./hostile-files.js";
import { median } from "./stats.js";

/** Issue 17's target: every hostile experiment file is refused within a second, whatever its size. */
const TARGET_MS = 1000;
const ROUNDS = 5;

/** Times the refusal of each hostile file (the fuzz suite's corpus) and prints the slowest against the target. */
export async function benchInputRefusal(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-bench-hostile-"));
  try {
    const rows: { name: string; ms: number }[] = [];
    for (const f of hostileFiles()) {
      const file = path.join(dir, `${f.name}.yaml`);
      writeFileSync(file, f.text);
      const times: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const start = performance.now();
        try {
          loadExperiment(file);
        } catch {
          // Refusal is the expected outcome; the fuzz suite checks its wording.
        }
        times.push(performance.now() - start);
      }
      rows.push({ name: f.name, ms: median(times) });
    }
    rows.sort((a, b) => b.ms - a.ms);
    console.log(`hostile experiment files: ${rows.length}, median of ${ROUNDS} refusals each, target < ${TARGET_MS} ms`);
    for (const r of rows.slice(0, 8)) console.log(`  ${r.name.padEnd(36)} ${r.ms.toFixed(1).padStart(8)} ms`);
    const over = rows.filter((r) => r.ms >= TARGET_MS).length;
    console.log(`  all files: median ${median(rows.map((r) => r.ms)).toFixed(1)} ms, ${over} over the target`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
