import { LocalEnvironment } from "../env/local/index.js";
import { buildProbe } from "../assertions/index.js";
import { loadExperiment } from "../runner/experiment-loader.js";
import { repoRoot } from "../core/paths.js";
import { VegetaLoad } from "../scenarios/vegeta-runner.js";
import { median } from "./stats.js";
import { getTemplate } from "../core/request-mapping.js";
import { nextPollDelay, POLL_DUTY, VISIBILITY_DUTY, VISIBILITY_GAP_MS } from "../assertions/utils/poll-pacing.js";
import path from "node:path";

const ROUND_MS = 15_000;
/** As fast as this many clients can go: twice the API's 4 workers x 2 threads, so throughput measures capacity. */
const WORKERS = 16;
const ROUNDS = 8;
/** The runner's poll interval, stretched as the runner does for slow polls (poll-pacing.ts). */
const POLL_MS = 1000;

/**
 * Issue 3's figure: requests/s the load generator gets through the API while the harness polls
 * every probe of the pool-exhaustion experiment, against the load alone, alternating in one run
 * (target: >= 97 %), and the harness's own CPU and RSS meanwhile.
 */
export async function benchLoadOverhead(): Promise<void> {
  const env = await new LocalEnvironment().start();
  try {
    const endpoints = env.getEndpoints();
    const { experiment } = loadExperiment(path.join(repoRoot, "experiments", "pool-exhaustion.yaml"));
    const probes = experiment.expectations.map((e) => buildProbe(e.probe, e.kind, endpoints));
    const alone: number[] = [];
    const polled: number[] = [];
    const cpu: number[] = [];
    const rss: number[] = [];
    const ratios: number[] = [];
    const pollMs = probes.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const withProbes of [false, true]) {
        const plan = {
          scenario: "capacity",
          requests: [getTemplate("/analysis/{patient}")],
          params: {},
          timeoutMs: 5000,
          stages: [{ ratePerSecond: 0, durationMs: ROUND_MS, workers: WORKERS }],
        };
        const load = new VegetaLoad(plan, { baseUrl: endpoints.api });
        // The probes see the trace ids this round's load sends, so trace probes search as in a real run.
        const sentRequests = () => load.collector.sentRequests();
        let polling = withProbes;
        const pollers = withProbes
          ? probes.map(async (probe, i) => {
              while (polling) {
                const pollAt = Date.now();
                await probe.observe({ endpoints, since: new Date(pollAt - 60_000), sentRequests }).catch(() => undefined);
                const ms = Date.now() - pollAt;
                pollMs[i]!.push(ms);
                // As the runner paces them while a trace or log is still awaited: the worst case.
                const delay = probe.visibility === "polled" ? nextPollDelay(POLL_MS, ms, VISIBILITY_GAP_MS, VISIBILITY_DUTY) : nextPollDelay(POLL_MS, ms);
                await new Promise((r) => setTimeout(r, delay));
              }
            })
          : [];
        const cpuBefore = process.cpuUsage();
        const started = Date.now();
        const collector = await load.run();
        const seconds = (Date.now() - started) / 1000;
        polling = false;
        await Promise.all(pollers);
        const used = process.cpuUsage(cpuBefore);
        const ok = collector.totals().requests - collector.totals().errors;
        (withProbes ? polled : alone).push(ok / seconds);
        if (withProbes) {
          ratios.push(polled.at(-1)! / alone.at(-1)!);
          cpu.push(((used.user + used.system) / 1e6 / seconds) * 100);
          rss.push(process.memoryUsage().rss / 2 ** 20);
        }
      }
    }
    // Each round pairs a run with probes against the run just before it, so slow drifts of the
    // machine cancel out; the median of those paired ratios is the figure.
    const ratio = median(ratios);
    console.log(
      `vegeta with ${WORKERS} workers as fast as it goes, ${ROUND_MS / 1000}s per round, ${ROUNDS} rounds alternating, ${probes.length} probes polled every ${POLL_MS} ms or less often when slow (at most ${POLL_DUTY * 100} % of the time)`,
    );
    console.log(`  load alone        median ${median(alone).toFixed(1)} successful req/s  (${alone.map((v) => v.toFixed(0)).join(", ")})`);
    console.log(`  load + probes     median ${median(polled).toFixed(1)} successful req/s  (${polled.map((v) => v.toFixed(0)).join(", ")})`);
    console.log(`  paired ratio      median ${(ratio * 100).toFixed(1)} %  (${ratios.map((r) => (r * 100).toFixed(0)).join(", ")})   target >= 97 %`);
    for (const [i, def] of experiment.expectations.entries()) {
      const times = pollMs[i]!;
      console.log(`  probe ${def.id.padEnd(40)} ${times.length} polls, median ${median(times).toFixed(0)} ms each`);
    }
    console.log(`  harness process   CPU median ${median(cpu).toFixed(1)} % of one core, RSS median ${median(rss).toFixed(0)} MiB`);
  } finally {
    await env.stop();
  }
}
