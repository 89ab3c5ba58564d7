import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadExperiment } from "./experiment-loader.js";
import { BadInputError } from "../core/errors.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, "fixtures", name);

function errorOf(file: string): string {
  try {
    loadExperiment(file);
  } catch (err) {
    expect(err).toBeInstanceOf(BadInputError);
    return (err as Error).message;
  }
  throw new Error(`${file} loaded, but it is invalid`);
}

describe("loadExperiment", () => {
  it("should load every shipped experiment", () => {
    for (const name of ["smoke", "pool-exhaustion", "collector-down"]) {
      const loaded = loadExperiment(path.join(here, "..", "experiments", `${name}.yaml`));
      expect(loaded.id).toBe(name);
      expect(loaded.experiment.title.length).toBeGreaterThan(10);
    }
  });

  it("should name the file, line, field path, what it got and an example for a bad duration", () => {
    expect(errorOf(fixture("bad-duration.yaml"))).toBe(
      'bad-duration.yaml:8: faults[pool-exhausted].duration: Invalid input: expected string, received number, got 90; for example "90s"',
    );
  });

  it("should report every cross-reference problem at once", () => {
    const message = errorOf(fixture("bad-references.yaml"));
    expect(message).toContain('faults[pool-exhausted].target: "prometheus" is not in the allowlist [postgres]');
    expect(message).toContain("faults[pool-exhausted]: it ends at 30s + 2m, after the load stops at 2m");
    expect(message).toContain('expectations[error-ratio-rises].within: "60s of pool-exhaustd.start" refers to fault "pool-exhaustd", which is not among faults [pool-exhausted]');
  });

  it("should refuse an expectation with two probes", () => {
    const message = errorOf(fixture("two-probes.yaml"));
    expect(message).toBe("two-probes.yaml:7: expectations[two-probes]: each expectation needs exactly one probe: metric, trace, log, alert, monitoring, event or load");
  });

  it("should name an SLO that is not defined", () => {
    expect(errorOf(fixture("unknown-slo.yaml"))).toMatch(/^unknown-slo\.yaml: slos\[0\]: no SLO named "no-such-slo" in .*slos; known: analysis-availability-99/);
  });

  it("should refuse a missing file with a clear message", () => {
    expect(errorOf("/nonexistent/experiment.yaml")).toMatch(/^\/nonexistent\/experiment\.yaml: cannot read the experiment file/);
  });
});
