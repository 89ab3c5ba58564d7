import type { Report } from "../../core/report-schema.js";
import type { BuiltInExperiment } from "./defects.js";
import { runExperimentOn } from "./run-experiment-on.js";
import { copyStack } from "./stack-copy.js";

const RUNS = Number(process.env.STABILITY_RUNS ?? 10);
/** One game day's bound; the config's per-test timeout is for one run, this test makes RUNS of them. */
const RUN_TIMEOUT_MS = 900_000;

/**
 * The healthy stack must pass every time: each experiment runs RUNS times in a row, and the
 * detection latencies of each expectation are printed with their spread.
 */
describe(`stability: the healthy stack passes ${RUNS} times out of ${RUNS}`, () => {
  for (const experiment of ["smoke", "pool-exhaustion"] as BuiltInExperiment[]) {
    it(
      `should pass ${experiment} ${RUNS}/${RUNS}`,
      async () => {
        const reports: (Report | undefined)[] = [];
        const lines: string[] = [];
        for (let i = 1; i <= RUNS; i++) {
          const run = await runExperimentOn(experiment, copyStack("stable"), `stable-${experiment}-${i}`);
          reports.push(run.report);
          const latencies = run.report?.expectations.map((e) => `${e.id}=${e.detectionLatencySeconds?.toFixed(1) ?? "-"}s`).join(" ") ?? run.tail;
          lines.push(`run ${String(i).padStart(2)}: ${run.report?.verdict ?? `exit ${run.code}`}  ${latencies}`);
          console.log(`${experiment} ${lines.at(-1)}`);
        }
        const passed = reports.filter((r) => r?.verdict === "pass").length;
        const ids = reports.find((r) => r)?.expectations.map((e) => e.id) ?? [];
        const spread = ids.map((id) => {
          const values = reports.flatMap((r) => r?.expectations.find((e) => e.id === id)?.detectionLatencySeconds ?? []).sort((a, b) => a - b);
          if (values.length === 0) return `  ${id}: no detection latency (kind stays-absent or never seen)`;
          const median = values[Math.floor(values.length / 2)]!;
          return `  ${id.padEnd(40)} min ${values[0]!.toFixed(1)} s  median ${median.toFixed(1)} s  max ${values.at(-1)!.toFixed(1)} s  spread ${(values.at(-1)! - values[0]!).toFixed(1)} s`;
        });
        console.log([`${experiment}: ${passed}/${RUNS} passed`, ...lines, "detection latency over the runs:", ...spread].join("\n"));
        expect(passed).toBe(RUNS);
      },
      RUNS * RUN_TIMEOUT_MS,
    );
  }
});
