import { faultPlan } from "../test/fault-context.js";
import { ContainerKillInjector } from "./container-kill-injector.js";

const injector = new ContainerKillInjector();
const plan = (params: Record<string, unknown>, more: Partial<Parameters<typeof faultPlan>[0]> = {}) =>
  faultPlan({ faultId: "api-killed", target: "genomics", allowlist: ["genomics"], params, ...more });

describe("ContainerKillInjector params", () => {
  it("should describe the signal, the exec API and the wait, defaulting to SIGTERM and one pod", () => {
    expect(injector.describe(plan({ selector: "app=genomics-api", waitReady: "30s" }))).toBe(
      "container-kill in namespace \"genomics\": in 1 Ready pod matching app=genomics-api, send SIGTERM to the first container's main process (kill -s TERM 1, through the exec API), then wait up to 30s for kubelet to restart it and for it to be Ready; a restart cannot be undone, so rollback only records the containers' state",
    );
    expect(injector.describe(plan({ selector: "app=x", count: 2, container: "api", signal: "QUIT" }))).toContain(
      "in 2 Ready pods matching app=x, send SIGQUIT to container api's main process",
    );
  });

  it("should refuse a namespace outside the experiment's allowlist, before touching anything", () => {
    expect(() => injector.describe(plan({ selector: "app=x" }, { target: "kube-system" }))).toThrow(
      /refused to run the container-kill injector on target "kube-system"/,
    );
  });

  it("should name the field and what it takes for bad params", () => {
    expect(() => injector.describe(plan({}))).toThrow('faults[api-killed].with.selector: expected a label selector like "app=checkout-api", got nothing');
    expect(() => injector.describe(plan({ selector: "app=x", signal: "KILL" }))).toThrow(
      'faults[api-killed].with.signal: expected one of TERM, INT, QUIT, HUP, got "KILL"',
    );
    expect(() => injector.describe(plan({ selector: "app=x", waitReady: "2m" }, { maxDurationMs: 60_000 }))).toThrow(
      "faults[api-killed].with.waitReady: 2m is longer than the fault's duration 1m",
    );
    expect(() => injector.describe(plan({ selector: "app=x" }, { target: undefined }))).toThrow(
      "faults[api-killed].target: expected the namespace of the pods, e.g. target: shop",
    );
  });
});
