import { jsonView, plainView } from "./progress-view.js";
import { event, poolExhaustionEvents } from "./progress-fixture.js";

function printed(view: (write: (line: string) => void) => ReturnType<typeof plainView>, events = poolExhaustionEvents()): string[] {
  const lines: string[] = [];
  const v = view((l) => lines.push(l));
  for (const e of events) v.onEvent(e);
  return lines;
}

describe("plainView", () => {
  it("should print each stage, fault and verdict with the UTC clock and T+ from the run's start, and the load every 15 s", () => {
    expect(printed(plainView)).toEqual([
      "14:00:00 T+0:00  ── steady state before",
      "14:00:02 T+0:02     PASS         api-healthy",
      "14:00:03 T+0:03  ── load: steady, 20/s for 5m with vegeta",
      "14:00:03 T+0:03  ── expectations: 3 polled to their deadlines",
      "14:00:33 T+0:33     fault pool-exhausted injected (pool-exhaustion → postgres)",
      "14:00:34 T+0:34     fault pool-exhausted verified: 40 of 40 slots held",
      "14:00:33 T+0:33     load: 20 req/s, 600 requests, 0 failed",
      "14:00:40 T+0:40     PASS         error-ratio-rises (seen after 7.4 s)",
    ]);
  });

  it("should print why a verdict did not pass, and what a fault's error was", () => {
    const lines = printed(plainView, [
      event(0, "run-started"),
      event(94, "expectation-verdict", "pool-errors-logged", { verdict: "fail", reason: "no log line matched" }),
      event(95, "fault-error", "pool-exhausted", { stage: "rollback", error: "connection refused" }),
    ]);
    expect(lines).toEqual([
      "14:01:34 T+1:34     FAIL         pool-errors-logged: no log line matched",
      "14:01:35 T+1:35     fault pool-exhausted ERROR: connection refused",
    ]);
  });

  it("should redact a secret in any line, from an event or the command's own", () => {
    const lines: string[] = [];
    const view = plainView((l) => lines.push(l));
    view.onEvent(event(0, "run-started"));
    view.onEvent(event(5, "fault-error", "f", { error: "could not connect to postgresql://genomics:hunter2@127.0.0.1:5432/genomics" }));
    view.say("could not push to http://admin:S3cret@127.0.0.1:9091");
    expect(lines.join("\n")).not.toMatch(/hunter2|S3cret/);
    expect(lines).toEqual([
      "14:00:05 T+0:05     fault f ERROR: could not connect to postgresql://genomics:***@127.0.0.1:5432/genomics",
      "could not push to http://admin:***@127.0.0.1:9091",
    ]);
  });
});

describe("jsonView", () => {
  it("should print every event but the load samples as one JSON line", () => {
    const lines = printed(jsonView);
    expect(lines).toHaveLength(poolExhaustionEvents().filter((e) => e.kind !== "load-sample").length);
    expect(JSON.parse(lines.at(-1)!)).toEqual(poolExhaustionEvents().at(-1));
  });
});
