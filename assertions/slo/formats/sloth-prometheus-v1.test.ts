import { errorRatioQuery } from "../slo-definition.js";
import { loadSloFile } from "../slo-loader.js";
import { SLOTH_POLICY } from "../burn-rate-policy.js";
import { edited, fixture } from "./format-test-utils.js";

const GETTING_STARTED = "sloth-getting-started.yml";
const APISERVER = "sloth-kubernetes-apiserver.yml";

describe("Sloth prometheus/v1", () => {
  it("should read Sloth's getting-started example, with its alert name and window placeholder", () => {
    const [slo] = loadSloFile(fixture(GETTING_STARTED));
    expect(slo).toMatchObject({
      name: "requests-availability",
      service: "myservice",
      objective: 0.999,
      period: "30d",
      alertName: "MyServiceHighErrorRate",
      alertPolicy: SLOTH_POLICY,
      sli: { kind: "ratio", badQuery: expect.stringContaining("[{{.window}}]") },
    });
    expect(errorRatioQuery(slo!, "1h")).toContain('code=~"(5..|429)"}[1h]');
    expect(errorRatioQuery(slo!, "1h")).not.toContain("window");
  });

  it("should read several SLOs from one file, each with its own source", () => {
    const slos = loadSloFile(fixture(APISERVER));
    expect(slos.map((s) => [s.name, s.objective, s.alertName])).toEqual([
      ["requests-availability", 0.999, "K8sApiserverAvailabilityAlert"],
      ["requests-latency", 0.99, "K8sApiserverLatencyAlert"],
    ]);
    expect(slos[1]!.source).toBe(`${fixture(APISERVER)} (slos[1])`);
  });

  it("should leave out a disabled ticket alert", () => {
    const file = edited(APISERVER, /ticket_alert:\n {8}labels:\n {10}severity: warning\n$/, "ticket_alert:\n        disable: true\n");
    expect(loadSloFile(file)[1]!.alertPolicy!.map((p) => p.severity)).toEqual(["page"]);
  });

  it("should refuse a raw SLI, with the events form to use", () => {
    const file = edited(
      GETTING_STARTED,
      /events:\n {8}error_query: .*\n {8}total_query: .*\n/,
      "raw:\n        error_ratio_query: 1 - avg_over_time(up[{{.window}}])\n",
    );
    expect(() => loadSloFile(file)).toThrow(
      `${file}: slos[0].sli.raw: a precomputed error ratio cannot be weighed against the load's own requests; use sli.events`,
    );
  });

  it("should refuse an objective of 100 %", () => {
    const file = edited(GETTING_STARTED, "objective: 99.9", "objective: 100");
    expect(() => loadSloFile(file)).toThrow(new RegExp(`${file}: slos\\[0\\]\\.objective: .*100 % leaves no error budget`));
  });

  it("should name a misspelt field and the one meant", () => {
    const file = edited(GETTING_STARTED, "error_query:", "errors_query:");
    expect(() => loadSloFile(file)).toThrow(`${file}: slos[0].sli.events: unknown field "errors_query"; did you mean "error_query"?`);
  });

  it("should refuse a query without the window placeholder", () => {
    const file = edited(GETTING_STARTED, '{job="myservice"}[{{.window}}]', '{job="myservice"}[5m]');
    expect(() => loadSloFile(file)).toThrow(`${file}: slos[0].sli.events.total_query: the query has no "{{window}}"`);
  });
});
