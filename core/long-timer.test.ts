import { jest } from "@jest/globals";
import { MAX_TIMER_MS, setLongTimeout, sleep } from "./long-timer.js";

describe("long timers", () => {
  afterEach(() => jest.useRealTimers());

  it("should wait past Node's 2^31-1 ms limit instead of firing at once", () => {
    jest.useFakeTimers();
    const fired: number[] = [];
    setLongTimeout(() => fired.push(Date.now()), 25 * 86_400_000);
    jest.advanceTimersByTime(MAX_TIMER_MS);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(25 * 86_400_000 - MAX_TIMER_MS);
    expect(fired).toHaveLength(1);
  });

  it("should not fire once cancelled, and a sleep should end on abort", async () => {
    jest.useFakeTimers();
    let fired = false;
    setLongTimeout(() => (fired = true), 30 * 86_400_000).cancel();
    jest.advanceTimersByTime(31 * 86_400_000);
    expect(fired).toBe(false);
    jest.useRealTimers();
    const abort = new AbortController();
    const slept = sleep(30 * 86_400_000, abort.signal);
    abort.abort();
    await slept;
  });
});
