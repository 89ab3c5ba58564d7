import { MAX_POLL_GAP_MS, nextPollDelay, POLL_DUTY } from "./poll-pacing.js";

describe("nextPollDelay", () => {
  it("should keep the base interval for quick polls", () => {
    expect(nextPollDelay(1000, 20)).toBe(1000);
    expect(nextPollDelay(1000, 0)).toBe(1000);
  });

  it("should stretch the wait so that a slow poll takes at most POLL_DUTY of the time", () => {
    const delay = nextPollDelay(1000, 200);
    expect(delay).toBeCloseTo((200 * (1 - POLL_DUTY)) / POLL_DUTY);
    expect(200 / (200 + delay)).toBeCloseTo(POLL_DUTY);
  });

  it("should never wait longer than the longest gap, nor less than the interval", () => {
    expect(nextPollDelay(1000, 40_000)).toBe(MAX_POLL_GAP_MS);
    expect(nextPollDelay(1000, 4000, 2000)).toBe(2000);
    expect(nextPollDelay(8000, 4000, 2000)).toBe(8000);
  });
});
