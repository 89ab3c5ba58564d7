import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { LoadSpec, MAX_RATE_PER_SECOND } from "../core/experiment-spec.js";
import { loadModel } from "../core/experiment-mapping.js";
import { resolveRequests } from "../scenarios/request-sources.js";
import { TargetStream, traceIdOf } from "../scenarios/target-stream.js";
import { median } from "./stats.js";

const TARGETS = 200_000;
const ROUNDS = 5;
/** Vegeta asks for one target per request; ten times the highest rate an experiment may ask for leaves the stream idle most of the time. */
const TARGET_PER_SECOND = 10 * MAX_RATE_PER_SECOND;

/**
 * Issue 18's figure: Vegeta targets made per second by the stream for a plain `path:` and for
 * weighted templates with a JSON body, a secret header and CSV rows, and the heap after each round
 * (it must not grow with the run's length: targets are made as Vegeta reads them).
 */
export async function benchTargetStream(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-bench-targets-"));
  try {
    writeFileSync(path.join(dir, "customers.csv"), `customer_id,region\n${Array.from({ length: 10_000 }, (_, i) => `C-${i},eu-${i % 7}`).join("\n")}\n`);
    const cases: [string, Record<string, unknown>][] = [
      ["path alone", { path: "/analysis/{patient}" }],
      [
        "3 templates, JSON body, CSV",
        {
          params: { customer: { csv: "customers.csv", column: "customer_id" }, region: { csv: "customers.csv", column: "region" } },
          requests: [
            {
              name: "place-order",
              method: "POST",
              path: "/orders",
              headers: { Authorization: { env: "BENCH_TOKEN" } },
              body: { customer: "{customer}", region: "{region}", items: [{ sku: "SKU-{qty}", quantity: "{qty}" }] },
              params: { qty: { range: { from: 1, to: 9 } } },
              weight: 3,
            },
            { name: "read-order", path: "/orders/{customer}", headers: { "X-Region": "{region}" } },
            { name: "health", path: "/health", weight: 0.5 },
          ],
        },
      ],
    ];
    console.log(`targets made per second, ${TARGETS} per round, median of ${ROUNDS} rounds (target >= ${TARGET_PER_SECOND}/s, ten times the highest rate)`);
    for (const [name, load] of cases) {
      const model = loadModel(LoadSpec.parse({ duration: "1m", ...load }), dir);
      const { requests, errors } = resolveRequests(model.requests, model.params, { BENCH_TOKEN: "Bearer bench" });
      if (errors.length) throw new Error(errors.join("\n"));
      const stream = new TargetStream({ baseUrl: "http://127.0.0.1:8000", requests, patients: 500, seed: 42 });
      const rates: number[] = [];
      const heaps: number[] = [];
      let bytes = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const start = performance.now();
        for (let i = 0; i < TARGETS; i++) {
          const line = stream.next();
          bytes += line.length + 1;
          // As the runner does with each result: the template's count is kept, its entry dropped.
          stream.templateOf(traceIdOf(line));
        }
        rates.push(TARGETS / ((performance.now() - start) / 1000));
        heaps.push(process.memoryUsage().heapUsed / 2 ** 20);
      }
      console.log(
        `  ${name.padEnd(30)} median ${median(rates).toFixed(0).padStart(8)} targets/s  (${rates.map((r) => (r / 1000).toFixed(0)).join(", ")} thousand), ${(bytes / (TARGETS * ROUNDS)).toFixed(0)} bytes each, heap after each round ${heaps.map((h) => h.toFixed(0)).join(", ")} MiB`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
