import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
    expect(errorOf(fixture("bad-duration.yaml"))).toBe('bad-duration.yaml:8: faults[pool-exhausted].duration: expected a string, got 90; for example "90s"');
  });

  it("should report every cross-reference problem at once", () => {
    const message = errorOf(fixture("bad-references.yaml"));
    expect(message).toContain(
      'faults[pool-exhausted]: refused to run the pool-exhaustion injector on target "prometheus": it is not in the experiment\'s allowlist (["postgres"])',
    );
    expect(message).toContain("faults[pool-exhausted]: it ends at 30s + 2m, after the load stops at 2m");
    expect(message).toContain(
      'expectations[error-ratio-rises].within: "60s of pool-exhaustd.start" refers to fault "pool-exhaustd", which is not among faults [pool-exhausted]',
    );
  });

  it("should refuse an expectation with two probes", () => {
    const message = errorOf(fixture("two-probes.yaml"));
    expect(message).toBe(
      "two-probes.yaml:7: expectations[two-probes]: each expectation needs exactly one probe: metric, alert, trace, log, monitoring, event, load, health",
    );
  });

  it("should name an SLO that is not defined", () => {
    expect(errorOf(fixture("unknown-slo.yaml"))).toMatch(
      /^unknown-slo\.yaml: slos\[0\]: no SLO named "no-such-slo" in .*fixtures\/ \(beside the experiment\), .*slos\/ \(the repository's\) \(known: analysis-availability-99/,
    );
  });

  it("should refuse a missing file with a clear message", () => {
    expect(errorOf("/nonexistent/experiment.yaml")).toMatch(/^\/nonexistent\/experiment\.yaml: cannot read the experiment file/);
  });
});

describe("loadExperiment against the provider and injector registries", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-loader-"));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(
      file,
      `title: ${name}\nload: { rate: 5/s, duration: 2m }\nexpectations:\n  - { id: up, metric: "up == 1", within: 30s of run-start }\n${text}`,
    );
    return file;
  };

  it("should refuse a fault its provider cannot carry out, naming providers that can", () => {
    const file = write(
      "process-on-kind.yaml",
      "env: { provider: kind }\nallowlist: [otel-collector]\nfaults:\n  - { id: killed, injector: process, target: otel-collector, at: 10s, duration: 30s, with: { mode: pause } }\n",
    );
    expect(errorOf(file)).toBe(
      "process-on-kind.yaml: faults[killed].injector: the process injector needs processes, which the kind provider does not have; use env.provider local",
    );
  });

  it("should check env.options by the provider's own schema, with the file's line", () => {
    const unknown = write("unknown-option.yaml", "env: { provider: local, options: { maxConnection: 40 } }\n");
    expect(errorOf(unknown)).toBe('unknown-option.yaml:5: env.options: unknown field "maxConnection"; did you mean "maxConnections"?');
    const invalid = write("invalid-option.yaml", "env: { provider: kind, options: { clusterName: Bad_Name } }\n");
    expect(errorOf(invalid)).toMatch(
      /^invalid-option\.yaml:5: env\.options\.clusterName: expected a kind cluster name like "slo-harness-ci".*, got "Bad_Name"$/,
    );
  });

  it("should apply the allowlist's globs as the injectors do: genomics-* admits genomics-api, not postgres", () => {
    const fault = (target: string) =>
      `allowlist: ["genomics-*"]\nfaults:\n  - { id: paused, injector: process, target: ${target}, at: 10s, duration: 30s, with: { mode: pause } }\n`;
    expect(loadExperiment(write("glob-allowed.yaml", fault("genomics-api"))).experiment.faults[0]!.target).toBe("genomics-api");
    expect(errorOf(write("glob-refused.yaml", fault("postgres")))).toMatch(
      /faults\[paused\]: refused to run the process injector on target "postgres": it is not in the experiment's allowlist \(\["genomics-\*"\]\)/,
    );
  });

  it("should take an inline SLO by good or bad events over total, and refuse one with both", () => {
    const inline = (queries: string) => `slos:\n  - { name: api-ok, objective: 99, ${queries}, totalQuery: "t[{{window}}]" }\n`;
    expect(loadExperiment(write("inline-good.yaml", inline('goodQuery: "ok[{{window}}]"'))).slos[0]!.sli).toMatchObject({ goodQuery: "ok[{{window}}]" });
    expect(loadExperiment(write("inline-bad.yaml", inline('errorQuery: "e[{{window}}]"'))).slos[0]!.sli).toMatchObject({ badQuery: "e[{{window}}]" });
    expect(() => loadExperiment(write("inline-both.yaml", inline('errorQuery: "e[{{window}}]", goodQuery: "ok[{{window}}]"')))).toThrow(
      "inline-both.yaml:6: slos[0]: give exactly one of errorQuery (bad events) or goodQuery (good events), next to totalQuery",
    );
  });

  it("should suggest the injector meant, and refuse compressed rules where they cannot be swapped", () => {
    expect(errorOf(write("typo.yaml", "faults:\n  - { id: f, injector: proces, target: postgres, at: 10s, duration: 30s }\n"))).toMatch(
      /faults\[f\]\.injector: unknown injector "proces"; did you mean "process"\?/,
    );
    const existing = write(
      "compressed-existing.yaml",
      "env: { provider: existing, options: { endpoints: { api: 'http://127.0.0.1:1', prometheus: 'http://127.0.0.1:2', alertmanager: 'http://127.0.0.1:3' } } }\nrules: { compress: 30 }\n",
    );
    expect(errorOf(existing)).toMatch(/rules\.compress: the existing provider cannot swap the deployment's Prometheus rules/);
  });

  it("should read a load's CSV relative to the experiment file and name the file and field of a secret that is not set", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "loader-requests-"));
    writeFileSync(path.join(dir, "ids.csv"), "id\nA1\n");
    const file = path.join(dir, "checkout.yaml");
    const experiment = (env: string) =>
      `title: Checkout errors are seen
load:
  duration: 1m
  params: { id: { csv: ids.csv, column: id } }
  requests:
    - path: /health
    - method: POST
      path: /orders/{id}
      headers: { Authorization: { env: ${env} } }
expectations:
  - { id: api-up, metric: 'up > 0', within: 60s of run-start }
`;
    writeFileSync(file, experiment("SLO_HARNESS_TEST_LOADER_TOKEN"));
    expect(errorOf(file)).toBe(
      "checkout.yaml: load.requests[1].headers.Authorization.env: environment variable SLO_HARNESS_TEST_LOADER_TOKEN is not set (or empty); export it before the run",
    );
    process.env.SLO_HARNESS_TEST_LOADER_TOKEN = "Bearer t";
    try {
      expect(loadExperiment(file).experiment.load!.params).toEqual({ id: { csv: path.join(dir, "ids.csv"), column: "id" } });
    } finally {
      delete process.env.SLO_HARNESS_TEST_LOADER_TOKEN;
    }
  });

  it("should plan each fault once, with the bound dry-run states and the run enforces", () => {
    const loaded = loadExperiment(path.join(here, "..", "experiments", "pool-exhaustion.yaml"));
    expect(loaded.experiment.faults[0]).toMatchObject({
      faultId: "pool-exhausted",
      atMs: 30_000,
      durationMs: 60_000,
      maxDurationMs: 75_000,
      allowlist: ["postgres"],
    });
  });

  describe("did you mean", () => {
    const smoke = readFileSync(path.join(here, "..", "experiments", "smoke.yaml"), "utf8");
    const dir = mkdtempSync(path.join(tmpdir(), "did-you-mean-"));
    const typo = (name: string, from: string, to: string) => {
      expect(smoke).toContain(from);
      const file = path.join(dir, `${name}.yaml`);
      writeFileSync(file, smoke.replace(from, to));
      return errorOf(file);
    };
    it.each([
      ["a misspelt top-level field", "steadyState:", "steadystate:", '(top level): unknown field "steadystate"; did you mean "steadyState"?'],
      [
        "a misspelt probe",
        "    trace: { service",
        "    traces: { service",
        'expectations[load-traces-reach-jaeger]: unknown field "traces"; did you mean "trace"?',
      ],
      [
        "a probe's misspelt field",
        "operation: variant-analysis, fromLoad",
        "operation: variant-analysis, fromload",
        'trace: unknown field "fromload"; did you mean "fromLoad"?',
      ],
      [
        "a load scenario",
        "scenario: steady",
        "scenario: stedy",
        'load.scenario: expected one of steady, ramp, spike, soak, got "stedy"; did you mean "steady"?',
      ],
      [
        "a provider",
        "provider: local",
        "provider: locl",
        'env.provider: expected one of local, testcontainers, kind, existing, got "locl"; did you mean "local"?',
      ],
      [
        "a named steady-state check",
        "[api-healthy,",
        "[api-helthy,",
        'steadyState.before[0]: expected one of api-healthy, targets-up, no-alert-firing, got "api-helthy"; did you mean "api-healthy"?',
      ],
      [
        "an expectation kind",
        "kind: stays-absent\n    metric",
        "kind: stays-abset\n    metric",
        'kind: expected one of appears, stays-absent, resolves, got "stays-abset"; did you mean "stays-absent"?',
      ],
      ["an SLO name", "[analysis-availability-99]", "[analysis-availabilty-99]", 'no SLO named "analysis-availabilty-99" in'],
    ])("should name what was meant for %s", (_what, from, to, said) => {
      const message = typo(`typo-${from.length}-${to.length}`, from, to);
      expect(message).toContain(said);
      expect(message).not.toMatch(/Invalid (input|option)/);
    });
    it("should suggest nothing for a name unlike any, and list the fields there instead", () => {
      expect(typo("far-off", "steadyState:", "zzzzzzzzzz:")).toMatch(
        /unknown field "zzzzzzzzzz"; the fields here are title, description, env, target, allowlist, rules, load, steadyState/,
      );
    });
    it("should say the SLO meant", () => {
      expect(typo("slo-typo", "[analysis-availability-99]", "[analysis-availabilty-99]")).toContain('did you mean "analysis-availability-99"?');
    });
  });
});
