import { diagnosisOf, faultNote, faultsDuring, offset, type FaultWindow } from "./diagnosis.js";
import { declaredBlindness } from "./declared-blindness.js";

const origin = new Date("2026-01-01T00:00:00Z");
const at = (s: number) => new Date(origin.getTime() + s * 1000);
const lock: FaultWindow = { id: "variants-locked", injector: "pool-exhaustion", target: "postgres", from: at(120), to: at(150), blinds: [] };
const kill: FaultWindow = { id: "collector-killed", injector: "process", target: "otel-collector", from: at(30), to: at(105), blinds: ["trace", "log"] };

describe("diagnosis", () => {
  it("should name the first hop that stopped, upstream first, and the last one reached", () => {
    const d = diagnosisOf(
      [
        { hop: "alerting rule X", status: "reached", detail: "loaded" },
        { hop: "firing", status: "reached", detail: "firing from T+1:08.0" },
        { hop: "Alertmanager grouping", status: "stopped", detail: "group_wait 15m" },
        { hop: "webhook receiver", status: "stopped", detail: "nothing" },
      ],
      true,
    );
    expect(d).toMatchObject({
      stoppedAt: "Alertmanager grouping",
      reachedBackend: true,
      summary: "lost at Alertmanager grouping: group_wait 15m (last hop reached: firing)",
    });
  });

  it("should write T+ offsets as the report does", () => {
    expect(offset(at(68.2), origin)).toBe("T+1:08.2");
    expect(offset(at(3725), origin)).toBe("T+1:02:05.0");
    expect(offset(at(-5), origin)).toBe("T-0:05.0");
  });

  it("should name a fault in place as the cause of what happened during it", () => {
    expect(faultsDuring([lock, kill], at(125), at(130))).toEqual([lock]);
    expect(faultsDuring([kill], at(105), at(160))).toEqual([]);
    expect(faultNote([lock], at(121), at(140))).toBe(", while the experiment's fault variants-locked was in place (the fault's own doing)");
  });

  it("should excuse only a signal the fault declared it blinds, and alerts when it blinds metrics", () => {
    expect(declaredBlindness([kill], "trace", at(30), at(75), origin)).toMatch(
      /collector-killed \(process on otel-collector, in place from T\+0:30\.0 to T\+1:45\.0\) declares that it blinds trace, log/,
    );
    expect(declaredBlindness([kill], "metric", at(30), at(75), origin)).toBeUndefined();
    expect(declaredBlindness([kill], "trace", at(105), at(165), origin)).toBeUndefined();
    expect(declaredBlindness([{ ...kill, blinds: ["metric"] }], "alert", at(30), at(75), origin)).toBeDefined();
  });
});
