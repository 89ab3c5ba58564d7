import { answeredRequests, describeCoverage, measureCoverage, presentEach, type LoadRequest } from "./load-coverage.js";

const t0 = new Date("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const req = (i: number, status = 200, latencyMs = 20): LoadRequest => ({ traceId: `id${i}`, sentAt: at(i * 100), status, latencyMs });

describe("load coverage", () => {
  it("should count only requests sent in the window and answered by its end", () => {
    const requests = [req(0), req(1, 0), req(2, 500), req(3, 200, 5000), req(50)];
    const { answered, sample } = answeredRequests(requests, at(0), at(1000));
    expect(answered).toBe(2);
    expect(sample.map((r) => r.traceId)).toEqual(["id0", "id2"]);
  });

  it("should sample evenly when there are more than it looks up", () => {
    const requests = Array.from({ length: 1000 }, (_, i) => req(i, 200, 1));
    const { answered, sample } = answeredRequests(requests, at(0), at(200_000), 100);
    expect(answered).toBe(1000);
    expect(sample).toHaveLength(100);
    expect(sample[1]!.traceId).toBe("id10");
  });

  it("should measure and word the share found", async () => {
    const requests = Array.from({ length: 10 }, (_, i) => req(i));
    const coverage = await measureCoverage(requests, at(0), at(2000), 0.8, async (ids) => new Set(ids.slice(0, 3)));
    expect(coverage).toMatchObject({ found: 3, checked: 10, answered: 10, ratio: 0.3, min: 0.8 });
    expect(describeCoverage(coverage, "Jaeger")).toBe("3 of 10 answered load requests reached Jaeger (30.0 %, at least 80 % required)");
  });

  it("should look ids up a few at a time", async () => {
    let inFlight = 0;
    let most = 0;
    const found = await presentEach(
      Array.from({ length: 30 }, (_, i) => `x${i}`),
      async (id) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return id.endsWith("7");
      },
      4,
    );
    expect([...found].sort()).toEqual(["x17", "x27", "x7"]);
    expect(most).toBe(4);
  });
});
