import { formatCount, formatDateTime, formatMs, formatNumber, formatOffset, formatPercent, formatSeconds, secondsBetween } from "./format.js";

describe("formatSeconds", () => {
  it("should keep a decimal under ten seconds", () => expect(formatSeconds(3.14)).toBe("3.1 s"));
  it("should use minutes and seconds above a minute", () => expect(formatSeconds(167)).toBe("2 min 47 s"));
  it("should drop zero seconds on whole minutes", () => expect(formatSeconds(240)).toBe("4 min"));
  it("should use hours above an hour", () => expect(formatSeconds(3 * 3600 + 125)).toBe("3 h 2 min"));
  it("should show a dash when there is no value", () => expect(formatSeconds(undefined)).toBe("—"));
});

describe("formatPercent", () => {
  it("should scale precision to the size", () => {
    expect(formatPercent(0.227)).toBe("22.7 %");
    expect(formatPercent(0.0079)).toBe("0.79 %");
    expect(formatPercent(0.000123)).toBe("0.0123 %");
    expect(formatPercent(0)).toBe("0 %");
    expect(formatPercent(null)).toBe("—");
  });
});

describe("numbers", () => {
  it("should group thousands", () => expect(formatCount(1234567)).toBe("1,234,567"));
  it("should keep three significant digits", () => expect(formatNumber(0.18349)).toBe("0.183"));
  it("should switch to seconds above 1000 ms", () => {
    expect(formatMs(5012)).toBe("5.01 s");
    expect(formatMs(182.4)).toBe("182 ms");
  });
});

describe("times", () => {
  const start = "2025-11-20T14:00:00.000Z";
  it("should print UTC date and time", () => expect(formatDateTime("2025-11-20T14:02:13.456Z")).toBe("2025-11-20 14:02:13 UTC"));
  it("should print offsets from run start", () => {
    expect(formatOffset("2025-11-20T14:02:13.456Z", start)).toBe("T+2:13");
    expect(formatOffset("2025-11-20T15:02:03Z", start)).toBe("T+1:02:03");
    expect(formatOffset("2025-11-20T13:59:50Z", start)).toBe("T−0:10");
  });
  it("should give seconds between two instants, or undefined when one is missing", () => {
    expect(secondsBetween(start, "2025-11-20T14:00:30.500Z")).toBe(30.5);
    expect(secondsBetween(start, undefined)).toBeUndefined();
  });
});
