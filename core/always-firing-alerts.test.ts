import { AlertsSpec } from "./always-firing-alerts.js";

describe("AlertsSpec", () => {
  it("should ignore Watchdog, InfoInhibitor and DeadMansSwitch when the experiment says nothing", () => {
    expect(AlertsSpec.parse(undefined)).toEqual({ alwaysFiring: ["Watchdog", "InfoInhibitor", "DeadMansSwitch"] });
  });

  it("should take the experiment's list in place of the default, an empty one too", () => {
    expect(AlertsSpec.parse({ alwaysFiring: ["Heartbeat"] })).toEqual({ alwaysFiring: ["Heartbeat"] });
    expect(AlertsSpec.parse({ alwaysFiring: [] })).toEqual({ alwaysFiring: [] });
  });

  it("should refuse a name Prometheus would refuse for an alert, which could break the query's regex", () => {
    const result = AlertsSpec.safeParse({ alwaysFiring: ["Watchdog|.*"] });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ["alwaysFiring", 0], message: 'expected an alert name like "Watchdog"' });
  });
});
