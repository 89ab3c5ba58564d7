import { BlindnessTracker } from "./blindness-tracker.js";
import type { MonitoringProblem, MonitoringStatus } from "./monitoring-status.js";
import type { Probe } from "./probe.js";

const probe = { signal: "metric", describe: () => "x > 0" } as Probe;
const down: MonitoringProblem = { check: "targets-up", affects: ["metric"], message: "scrape target genomics-api is down" };

/** Answers each check from a script of [ms since start, problems]. */
function scripted(script: MonitoringProblem[][]) {
  const start = Date.now();
  let i = 0;
  return async (): Promise<MonitoringStatus> => ({ checkedAt: new Date(start + i * 5000), problems: script[Math.min(i++, script.length - 1)]!, evidence: [{ query: "targets", result: String(i) }] });
}

describe("BlindnessTracker", () => {
  it("should excuse a problem that came and went within the blind gap", async () => {
    const tracker = new BlindnessTracker(probe, scripted([[down], [down], [], []]), 10_000, () => undefined);
    for (let i = 0; i < 3; i++) await tracker.check();
    await tracker.final();
    expect(tracker.blinding).toEqual([]);
  });

  it("should count a problem seen in consecutive checks spanning the blind gap, even if it cleared", async () => {
    const blind: string[] = [];
    const tracker = new BlindnessTracker(probe, scripted([[down], [down], [down], [], []]), 10_000, (m) => blind.push(m));
    for (let i = 0; i < 4; i++) await tracker.check();
    await tracker.final();
    expect(tracker.blinding).toEqual([down]);
    expect(blind).toEqual([down.message]);
    expect(tracker.evidence[0]).toEqual({ query: "targets", result: "3" });
  });

  it("should count whatever is still wrong at the final check", async () => {
    const tracker = new BlindnessTracker(probe, scripted([[], [down]]), 10_000, () => undefined);
    await tracker.check();
    await tracker.final();
    expect(tracker.blinding).toEqual([down]);
  });

  it("should treat a counter whose number changes as the same problem", async () => {
    const rose = (n: number): MonitoringProblem => ({ check: "collector-healthy", affects: ["metric"], message: `otelcol_receiver_refused_metric_points rose by ${n}` });
    const tracker = new BlindnessTracker(probe, scripted([[rose(3)], [rose(9)], [rose(12)], []]), 10_000, () => undefined);
    for (let i = 0; i < 3; i++) await tracker.check();
    expect(tracker.blinding.map((p) => p.message)).toEqual([rose(12).message]);
  });

  it("should ignore problems of other signals and turn a failing check into blindness", async () => {
    const other = new BlindnessTracker(probe, scripted([[{ ...down, affects: ["trace"] }]]), 10_000, () => undefined);
    await other.final();
    expect(other.blinding).toEqual([]);
    const failing = new BlindnessTracker(probe, () => Promise.reject(new Error("boom")), 10_000, () => undefined);
    await failing.final();
    expect(failing.blinding[0]!.message).toBe("the monitoring check itself failed: boom");
  });
});
