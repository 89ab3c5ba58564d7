import { targetJobProblem } from "./target-job.js";

describe("targetJobProblem", () => {
  const own = ["otel-collector", "prometheus"];

  it("should accept one job that is not the stack's own (the target's), or none", () => {
    expect(targetJobProblem(["orders-api", "otel-collector", "prometheus"], own)).toBeUndefined();
    expect(targetJobProblem(["otel-collector"], own)).toBeUndefined();
  });

  it("should name every job when more than one is not the stack's own", () => {
    expect(targetJobProblem(["orders-api", "my-exporter", "prometheus"], own)).toBe(
      `scrape jobs "orders-api", "my-exporter" are not the stack's own (otel-collector, prometheus); only one job may scrape the target, and it is renamed after it`,
    );
  });
});
