import { faultPlan } from "../test/fault-context.js";
import { getInjector, listInjectors } from "./injector-registry.js";

describe("injector registry", () => {
  it("should list every injector with a summary for the CLI", () => {
    expect(listInjectors().map((i) => i.name)).toEqual(["pool-exhaustion", "process", "docker", "network", "pod-eviction", "container-kill"]);
    for (const entry of listInjectors()) expect(entry.summary.length).toBeGreaterThan(20);
  });

  it("should return the injector an experiment names", () => {
    for (const name of ["pool-exhaustion", "process", "docker", "network", "pod-eviction", "container-kill"]) expect(getInjector(name).name).toBe(name);
  });

  it("should name the field and the known injectors for an unknown name", () => {
    expect(() => getInjector("pod-kill", "evicted")).toThrow(
      'faults[evicted].injector: unknown injector "pod-kill"; expected one of "pool-exhaustion", "process", "docker", "network", "pod-eviction", "container-kill"',
    );
  });

  it("should check the shipped experiments' fault blocks before any environment is up", () => {
    expect(
      getInjector("pool-exhaustion").describe(faultPlan({ faultId: "variants-locked", params: { mode: "lock", table: "variants" }, maxDurationMs: 30_000 })),
    ).toMatch(/^pool-exhaustion on "postgres": hold ACCESS EXCLUSIVE on table "variants"/);
    expect(
      getInjector("process").describe(
        faultPlan({
          faultId: "collector-killed",
          target: "otel-collector",
          allowlist: ["otel-collector"],
          params: { mode: "kill-restart", restartAfter: "60s" },
          maxDurationMs: 75_000,
        }),
      ),
    ).toBe(
      'process on "otel-collector": SIGKILL its process group, restart it 1m later like a pod restart (fault bounded to 75s); rollback checks it is running and answers its health check',
    );
  });
});
