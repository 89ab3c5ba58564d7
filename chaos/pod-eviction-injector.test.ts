import { faultPlan } from "../test/fault-context.js";
import { PodEvictionInjector } from "./pod-eviction-injector.js";

const injector = new PodEvictionInjector();
const plan = (params: Record<string, unknown>, more: Partial<Parameters<typeof faultPlan>[0]> = {}) =>
  faultPlan({ faultId: "api-evicted", target: "genomics", allowlist: ["genomics"], params, ...more });

describe("PodEvictionInjector params", () => {
  it("should describe an eviction by count, the Eviction API and the wait", () => {
    expect(injector.describe(plan({ selector: "app=genomics-api", count: 2, waitReady: "30s" }))).toBe(
      'pod-eviction in namespace "genomics": evict 2 Running pods matching app=genomics-api through the policy/v1 Eviction API (PodDisruptionBudgets are honoured; a refusal is reported), then wait up to 30s for replacements to be Ready; an eviction cannot be undone, so rollback only records the pods\' state',
    );
    expect(injector.describe(plan({ selector: "app=genomics-api", percent: 50 }, { maxDurationMs: 20_000 }))).toContain(
      "evict 50% of the Running pods matching app=genomics-api",
    );
    expect(injector.describe(plan({ selector: "app=genomics-api", percent: 50 }, { maxDurationMs: 20_000 }))).toContain("wait up to 20s");
  });

  it("should refuse a namespace outside the experiment's allowlist, before touching anything", () => {
    expect(() => injector.describe(plan({ selector: "app=x" }, { target: "kube-system" }))).toThrow(
      /refused to run the pod-eviction injector on target "kube-system": it is not in the experiment's allowlist \(\["genomics"\]\)/,
    );
  });

  it("should name the field and an example for bad params", () => {
    expect(() => injector.describe(plan({ count: 1 }))).toThrow(
      'faults[api-evicted].with.selector: expected a label selector like "app=checkout-api", got nothing',
    );
    expect(() => injector.describe(plan({ selector: "app=x", count: 1, percent: 10 }))).toThrow(
      'give either "count" (pods) or "percent" (of the matching Running pods), not both',
    );
    expect(() => injector.describe(plan({ selector: "app=x", percent: 150 }))).toThrow(/faults\[api-evicted\]\.with\.percent: .*got 150/);
    expect(() => injector.describe(plan({ selector: "app=x", podz: 1 }))).toThrow(
      'faults[api-evicted].with: unknown field "podz"; remove it or check the spelling',
    );
    expect(() => injector.describe(plan({ selector: "app=x" }, { target: undefined }))).toThrow(
      "faults[api-evicted].target: expected the namespace of the pods to evict, e.g. target: shop",
    );
  });

  it("should refuse a wait for replacements longer than the fault", () => {
    expect(() => injector.describe(plan({ selector: "app=x", waitReady: "2m" }, { maxDurationMs: 60_000 }))).toThrow(
      "faults[api-evicted].with.waitReady: 2m is longer than the fault's duration 1m; shorten waitReady or lengthen the fault",
    );
  });
});
