import type { PrometheusClient } from "../clients/prometheus-client.js";
import { evaluateSlo } from "./slo-evaluator.js";
import type { SloDefinition } from "./slo-definition.js";

const slo: SloDefinition = {
  name: "api-availability",
  service: "api",
  objective: 0.99,
  period: "30d",
  periodMs: 2_592_000_000,
  clientErrors: "5xx",
  source: "test",
  sli: { kind: "ratio", badQuery: 'sum(rate(r_total{code="500"}[{{window}}]))', totalQuery: "sum(rate(r_total[{{window}}]))" },
};

/** A stub of the Prometheus HTTP client that answers by window; the live test uses the real one. */
function stubPrometheus(ratioByWindow: Record<string, number>, seen: string[] = []): PrometheusClient {
  return {
    query: async (expr: string) => {
      seen.push(expr);
      const window = /\[(\d+s)\]/.exec(expr)![1]!;
      return ratioByWindow[window] === undefined ? [] : [{ metric: {}, value: ratioByWindow[window]!, time: 0 }];
    },
    queryRange: async () => [{ metric: {}, values: [[1, 2]] }],
  } as unknown as PrometheusClient;
}

const start = new Date("2026-01-01T00:00:00Z");
const end = new Date("2026-01-01T00:15:00Z");
const fault = { id: "pool-exhausted", start: new Date("2026-01-01T00:02:00Z"), end: new Date("2026-01-01T00:06:00Z") };
const client = [
  { t: start.getTime(), total: 8000, bad: 0 },
  { t: fault.start.getTime(), total: 1000, bad: 200 },
];

describe("evaluateSlo", () => {
  it("should report both sides for the run, with budget, burn rate and their gap", async () => {
    const { result, errors } = await evaluateSlo({ slo, start, end, faults: [], client, prometheus: stubPrometheus({ "900s": 0.025 }) });
    expect(errors).toEqual([]);
    expect(result.objective).toBe(99);
    expect(result.client.errorRatio).toBeCloseTo(200 / 9000, 12);
    expect(result.client.burnRate).toBeCloseTo(200 / 9000 / 0.01, 9);
    // 15 minutes at 2.5x of a 30-day budget.
    expect(result.server.budgetConsumed).toBeCloseTo((2.5 * 15) / (30 * 24 * 60), 12);
    expect(result.server.query).toContain("[900s]");
    expect(result.discrepancy).toBeCloseTo(Math.abs(200 / 9000 - 0.025), 12);
  });

  it("should report each fault window both ways", async () => {
    const { result } = await evaluateSlo({ slo, start, end, faults: [fault], client, prometheus: stubPrometheus({ "900s": 0.02, "240s": 0.19 }) });
    expect(result.perFault).toEqual([
      { faultId: "pool-exhausted", clientErrorRatio: 0.2, serverErrorRatio: 0.19, budgetConsumed: expect.closeTo((19 * 4) / (30 * 24 * 60), 12) },
    ]);
  });

  it("should spend a compressed run's budget against the compressed period", async () => {
    const { result } = await evaluateSlo({ slo, start, end, faults: [], client, timeCompression: 60 });
    expect(result.client.budgetConsumed).toBeCloseTo(((200 / 9000 / 0.01) * 15 * 60) / (30 * 24 * 60), 12);
  });

  it("should leave a side null and say why when it is missing", async () => {
    const failing = { query: async () => Promise.reject(new Error("ECONNREFUSED")), queryRange: async () => [] } as unknown as PrometheusClient;
    const { result, errors } = await evaluateSlo({ slo, start, end, faults: [], prometheus: failing });
    expect(result.server.errorRatio).toBeNull();
    expect(result.client.errorRatio).toBeNull();
    expect(result.discrepancy).toBeNull();
    expect(errors).toEqual([
      expect.stringContaining("server-side SLI 2026-01-01T00:00:00.000Z..2026-01-01T00:15:00.000Z: ECONNREFUSED"),
      "api-availability: no client-side events for this ratio SLI",
    ]);
  });
});
