import type { Endpoints, StartedEnvironment } from "../../core/environment.js";
import { faultContext } from "../../test/fault-context.js";
import type { UndoAction } from "../fault-journal.js";
import { injectFault, type FaultSteps } from "./fault-handle.js";

// The lifecycle alone, around steps that only record calls: no component is involved here.
const stubEnvironment: StartedEnvironment = {
  provider: "stub",
  capabilities: [],
  getEndpoints: () => ({ runDir: "/nonexistent" }) as Endpoints,
  getComponents: () => [],
  applyRules: async () => undefined,
  stop: async () => undefined,
};
const undo: UndoAction[] = [{ kind: "toxiproxy-delete-toxic", apiUrl: "http://127.0.0.1:1", proxy: "postgres", toxic: "t" }];
const info = { injector: "stub", target: "postgres", params: { mode: "x" } };

function steps(overrides: Partial<FaultSteps> = {}): FaultSteps & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    undo,
    apply: async () => void calls.push("apply"),
    verify: async () => (calls.push("verify"), "seen"),
    remove: async () => (calls.push("remove"), "gone"),
    ...overrides,
  };
}

describe("injectFault", () => {
  it("should journal the undo before the fault is applied", async () => {
    const ctx = faultContext(stubEnvironment, { faultId: "f", params: {} });
    let journaledFirst = false;
    const handle = await injectFault(
      ctx,
      info,
      steps({ apply: async () => void (journaledFirst = ctx.journal.outstanding()[0]?.undo[0]?.kind === "toxiproxy-delete-toxic") }),
    );
    expect(journaledFirst).toBe(true);
    await handle.rollback();
  });

  it("should remove a partly applied fault and name the fault and cause when apply fails", async () => {
    const ctx = faultContext(stubEnvironment, { faultId: "f", params: {} });
    const s = steps({ apply: async () => Promise.reject(new Error("connection refused")) });
    await expect(injectFault(ctx, info, s)).rejects.toThrow(
      'faults[f]: the stub injector could not inject its fault on "postgres": connection refused; whatever was partly injected has been removed',
    );
    expect(s.calls).toEqual(["remove"]);
    expect(ctx.journal.outstanding()).toEqual([]);
    expect(ctx.timeline.events().map((e) => [e.kind, e.data?.stage])).toEqual([["fault-error", "inject"]]);
  });

  it("should leave the fault outstanding in the journal when removing a partial fault fails too", async () => {
    const ctx = faultContext(stubEnvironment, { faultId: "f", params: {} });
    const s = steps({ apply: async () => Promise.reject(new Error("half done")), remove: async () => Promise.reject(new Error("still stuck")) });
    await expect(injectFault(ctx, info, s)).rejects.toThrow(
      /removing what was partly injected failed too \(still stuck\); the journal .* keeps it for the next run/,
    );
    expect(ctx.journal.outstanding().map((r) => r.faultId)).toEqual(["f"]);
  });

  it("should report an unverified effect on the timeline and still roll back", async () => {
    const ctx = faultContext(stubEnvironment, { faultId: "f", params: {} });
    const handle = await injectFault(ctx, info, steps({ verify: async () => Promise.reject(new Error("API still connects")) }));
    expect(handle.effectVerified).toBe(false);
    expect(handle.evidence).toBe("not verified: API still connects");
    await handle.rollback();
    expect(ctx.timeline.events().map((e) => e.kind)).toEqual(["fault-injected", "fault-error", "fault-rolled-back"]);
  });

  it("should keep a fault whose rollback failed outstanding, and let a later rollback retry", async () => {
    const ctx = faultContext(stubEnvironment, { faultId: "f", params: {} });
    let attempts = 0;
    const handle = await injectFault(ctx, info, steps({ remove: async () => (++attempts === 1 ? Promise.reject(new Error("busy")) : "gone") }));
    await expect(handle.rollback()).rejects.toThrow(/faults\[f\]: rolling back the stub fault on "postgres" failed: busy; the journal .* keeps it outstanding/);
    expect(ctx.journal.outstanding()).toHaveLength(1);
    await handle.rollback();
    expect(ctx.journal.outstanding()).toEqual([]);
    expect(handle.rolledBackAt).toBeDefined();
  });

  it("should roll back by itself at maxDurationMs when nobody else does", async () => {
    const ctx = faultContext(stubEnvironment, { faultId: "f", params: {}, maxDurationMs: 50 });
    const handle = await injectFault(ctx, info, steps());
    await new Promise((r) => setTimeout(r, 150));
    expect(handle.rolledBackAt).toBeDefined();
    expect(ctx.timeline.first("fault-rolled-back")?.data).toMatchObject({ reason: "max-duration", evidence: "gone" });
  });

  it("should put injector, target and params on the fault-injected event", async () => {
    const ctx = faultContext(stubEnvironment, { faultId: "f", params: {} });
    const handle = await injectFault(ctx, info, steps());
    await handle.rollback();
    const injected = ctx.timeline.first("fault-injected", "f")!;
    expect(injected.at).toBe(handle.injectedAt.toISOString());
    expect(injected.data).toMatchObject({ injector: "stub", target: "postgres", params: { mode: "x" } });
    expect(ctx.timeline.first("fault-effect-verified", "f")?.data).toEqual({ injector: "stub", evidence: "seen" });
    expect(ctx.timeline.first("fault-rolled-back", "f")?.at).toBe(handle.rolledBackAt?.toISOString());
  });
});
