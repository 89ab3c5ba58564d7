import { jest } from "@jest/globals";
import { liveView } from "./live-view.js";
import { event, fakeTerminal, poolExhaustionEvents, T0 } from "./progress-fixture.js";

/** The text written, without the escape sequences that move the cursor and erase the old frame. */
const plain = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, "");

describe("liveView", () => {
  afterEach(() => jest.useRealTimers());

  it("should keep fault and verdict lines above a block that shows the fault in place, and redraw that block every second", () => {
    jest.useFakeTimers();
    let now = Date.parse(T0) + 41_000;
    const terminal = fakeTerminal();
    const view = liveView(terminal.stream, { now: () => now });
    for (const e of poolExhaustionEvents()) view.onEvent(e);
    const written = plain(terminal.output());
    expect(written).toContain("14:00:33 T+0:33     fault pool-exhausted injected (pool-exhaustion → postgres)\n");
    expect(written).toContain("14:00:40 T+0:40     PASS         error-ratio-rises (seen after 7.4 s)\n");
    expect(written).toContain("faults  pool-exhausted (pool-exhaustion → postgres) since T+0:33, verified");
    // Load samples redraw the block; they leave no line of their own.
    expect(written).not.toMatch(/ {3}load: \d/);

    now += 5000;
    jest.advanceTimersByTime(1000);
    expect(plain(terminal.output())).toContain("T+0:46 of T+5:03 planned, 4 min 17 s left · expectations");
    view.close();
  });

  it("should stop redrawing once closed, leaving its last frame", () => {
    jest.useFakeTimers();
    const terminal = fakeTerminal();
    const view = liveView(terminal.stream, { now: () => Date.parse(T0) + 95_000 });
    for (const e of [...poolExhaustionEvents(), event(93, "fault-rolled-back", "pool-exhausted", { injector: "pool-exhaustion" })]) view.onEvent(e);
    view.close();
    const atClose = terminal.output();
    expect(plain(atClose)).toMatch(/faults {2}none in place\n?$/m);
    jest.advanceTimersByTime(5000);
    expect(terminal.output()).toBe(atClose);
  });

  it("should redact the block and the lines above it", () => {
    const terminal = fakeTerminal();
    const view = liveView(terminal.stream, { now: () => Date.parse(T0) + 10_000 });
    view.onEvent(event(0, "run-started"));
    view.onEvent(event(5, "fault-injected", "f", { injector: "pool-exhaustion", target: "postgresql://genomics:hunter2@127.0.0.1:5432/genomics" }));
    view.say("could not push to http://admin:S3cret@127.0.0.1:9091");
    view.close();
    const written = terminal.output();
    expect(written).not.toMatch(/hunter2|S3cret/);
    expect(plain(written)).toContain("faults  f (pool-exhaustion → postgresql://genomics:***@127.0.0.1:5432/genomics) since T+0:05");
  });
});
