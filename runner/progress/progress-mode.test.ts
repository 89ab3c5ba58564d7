import { progressView, wantsLiveView } from "./progress-mode.js";
import { event, fakeTerminal } from "./progress-fixture.js";

const tty = { isTTY: true };

describe("wantsLiveView", () => {
  it("should redraw in place for a person at a terminal", () => {
    expect(wantsLiveView("human", tty, { TERM: "xterm-256color" })).toBe(true);
    expect(wantsLiveView("human", tty, { CI: "false" })).toBe(true);
    expect(wantsLiveView("human", tty, { CI: "" })).toBe(true);
  });

  it.each([
    ["under CI=true", "human", tty, { CI: "true" }],
    ["under any other CI value", "human", tty, { CI: "1" }],
    ["when stderr is not a terminal", "human", { isTTY: false }, {}],
    ["when stderr's kind is unknown", "human", {}, {}],
    ["on a dumb terminal", "human", tty, { TERM: "dumb" }],
    ["with --json", "json", tty, {}],
    ["with --quiet", "quiet", tty, {}],
  ] as const)("should print plain lines %s", (_why, mode, stream, env) => {
    expect(wantsLiveView(mode, stream, env)).toBe(false);
  });
});

describe("progressView", () => {
  it("should print plain lines with T+ on a terminal under CI=true, with no cursor movement", () => {
    const terminal = fakeTerminal();
    const view = progressView("human", terminal.stream, { CI: "true" });
    view.onEvent(event(0, "run-started"));
    view.onEvent(event(65, "fault-injected", "pool-exhausted", { injector: "pool-exhaustion", target: "postgres" }));
    view.close();
    expect(terminal.output()).toBe("14:01:05 T+1:05     fault pool-exhausted injected (pool-exhaustion → postgres)\n");
  });
});
