import type { TimelineEvent } from "../../core/timeline.js";
import { liveFrame, MAX_PENDING_SHOWN } from "./live-frame.js";
import { INITIAL_PROGRESS, nextProgress } from "./progress-state.js";
import { event, poolExhaustionEvents, T0 } from "./progress-fixture.js";

const frameAt = (seconds: number, events: TimelineEvent[]) => liveFrame(events.reduce(nextProgress, INITIAL_PROGRESS), Date.parse(T0) + seconds * 1000);

describe("liveFrame", () => {
  it("should show nothing before the run has started", () => {
    expect(liveFrame(INITIAL_PROGRESS, Date.parse(T0))).toEqual([]);
  });

  it("should show elapsed T+ and the stage before the plan is known", () => {
    expect(frameAt(2.4, poolExhaustionEvents().slice(0, 2))).toEqual(["T+0:02 · steady state before", "faults  none in place"]);
  });

  it("should show elapsed and planned time, the load now, the fault in place and the expectations settled and pending", () => {
    expect(frameAt(41, poolExhaustionEvents())).toEqual([
      "T+0:41 of T+5:03 planned, 4 min 22 s left · expectations",
      "load    20 req/s, 700 requests, 72 failed, 72 in the last 5 s",
      "faults  pool-exhausted (pool-exhaustion → postgres) since T+0:33, verified",
      "expect  1 of 3 settled: 1 pass · 2 pending",
      "        pool-errors-logged  deadline T+1:33",
      "        recovers-after      deadline T+2:33 (planned)",
    ]);
  });

  it("should drop a fault once it is rolled back, and count a new verdict as settled", () => {
    const frame = frameAt(95, [
      ...poolExhaustionEvents(),
      event(93, "fault-rolled-back", "pool-exhausted", { injector: "pool-exhaustion" }),
      event(94, "expectation-verdict", "pool-errors-logged", { verdict: "fail", reason: "no log line matched" }),
    ]);
    expect(frame.filter((l) => /^(faults|expect)|^ {8}\S/.test(l))).toEqual([
      "faults  none in place",
      "expect  2 of 3 settled: 1 pass, 1 fail · 1 pending",
      "        recovers-after  deadline T+2:33 (planned)",
    ]);
  });

  it("should say how long no load result has come, as when requests hang on a locked table, and when the load ended", () => {
    const events = poolExhaustionEvents();
    expect(frameAt(48.5, events)[1]).toBe("load    20 req/s, 700 requests, 72 failed, 72 in the last 5 s · no result for 10 s");
    expect(frameAt(310, [...events, event(306, "load-ended")])[1]).toBe("load    ended: 700 requests, 72 failed");
  });

  it("should not count time left past the planned end", () => {
    expect(frameAt(320, [...poolExhaustionEvents(), event(310, "stage", undefined, { stage: "steady state after" })])[0]).toBe(
      "T+5:20 of T+5:03 planned · steady state after",
    );
  });

  it(`should list at most ${MAX_PENDING_SHOWN} pending expectations, soonest deadline first, and count the rest`, () => {
    const deadlines = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`e${9 - i}`, new Date(Date.parse(T0) + (9 - i) * 10_000).toISOString()]));
    const frame = frameAt(1, [event(0, "run-started"), event(0, "stage", undefined, { stage: "expectations", plannedDeadlines: deadlines })]);
    expect(frame.slice(2)).toEqual([
      "expect  0 of 9 settled · 9 pending",
      ...["0:10", "0:20", "0:30", "0:40", "0:50", "1:00"].map((t, i) => `        e${i + 1}  deadline T+${t} (planned)`),
      "        and 3 more",
    ]);
  });
});
