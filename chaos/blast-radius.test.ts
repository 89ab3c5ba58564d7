import { BlastRadiusError, guardBlastRadius } from "./blast-radius.js";
import { isAllowed } from "../core/allowlist.js";

describe("guardBlastRadius", () => {
  it("should let a listed target through", () => {
    expect(() => guardBlastRadius("pool-exhausted", "pool-exhaustion", "postgres", ["postgres"])).not.toThrow();
  });

  it("should refuse an unlisted target naming the fault, the target, the allowlist and the fix", () => {
    expect(() => guardBlastRadius("collector-killed", "process", "prometheus", ["otel-collector"])).toThrow(
      new BlastRadiusError(
        'faults[collector-killed]: refused to run the process injector on target "prometheus": it is not in the experiment\'s allowlist (["otel-collector"]). ' +
          'If this fault may touch "prometheus", add it to the experiment\'s top-level allowlist: [..., "prometheus"]; otherwise aim the fault at an allowed target.',
      ),
    );
  });

  it("should refuse everything when the allowlist is empty", () => {
    expect(() => guardBlastRadius("f", "network", "postgres", [])).toThrow(/allowlist \(empty\)/);
  });

  it("should match * globs and nothing beyond them", () => {
    expect(isAllowed("genomics-api", ["genomics-*"])).toBe(true);
    expect(isAllowed("genomics", ["genomics-*"])).toBe(false);
    expect(isAllowed("otel-collector", ["*"])).toBe(true);
    expect(isAllowed("a.b", ["a?b"])).toBe(false);
  });
});
