import { createIsoParser } from "./iso-time.js";

describe("createIsoParser", () => {
  it("should agree with Date.parse on canonical timestamps across minute and day boundaries", () => {
    const parse = createIsoParser();
    for (let ms = Date.parse("2025-12-31T23:58:00.000Z"); ms < Date.parse("2026-01-01T00:02:00.000Z"); ms += 997) {
      const iso = new Date(ms).toISOString();
      expect(parse(iso)).toBe(ms);
    }
  });

  it("should fall back to Date.parse for other forms", () => {
    const parse = createIsoParser();
    expect(parse("2025-11-20T15:00:00+01:00")).toBe(Date.parse("2025-11-20T14:00:00Z"));
    expect(parse("2025-11-20T14:00:07Z")).toBe(Date.parse("2025-11-20T14:00:07Z"));
    expect(parse("2025-11-20T14:00:ab.000Z")).toBeNaN();
    expect(parse("not a time")).toBeNaN();
  });
});
