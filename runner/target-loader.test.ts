import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getInjector } from "../chaos/index.js";
import { loadExperiment } from "./experiment-loader.js";

const EXPERIMENT = `title: Does the service stay quiet?
env: { provider: local }
allowlist: [checkout-api]
steadyState: { before: [api-healthy] }
faults:
  - { id: hang, injector: process, target: checkout-api, with: { mode: pause }, at: 5s, duration: 10s }
expectations:
  - { id: up, metric: 'up{job="checkout-api"} == 1', within: 30s of run-start }
`;

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-target-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const TARGET = `name: checkout-api
health: /healthz
rules: [rules/checkout.rules.yml]
local: { command: [bin/checkout-api], portEnv: LISTEN_PORT }
`;

describe("an experiment's target", () => {
  it("should read the target file relative to the experiment, resolve its folder and fill the defaults", () => {
    const dir = folder({
      "svc/target.yaml": TARGET,
      "svc/rules/checkout.rules.yml": "groups: []\n",
      "svc/experiments/hang.yaml": `${EXPERIMENT}target: ../target.yaml\n`,
    });
    const loaded = loadExperiment(path.join(dir, "svc/experiments/hang.yaml"));
    expect(loaded.target).toMatchObject({
      name: "checkout-api",
      dir: path.join(dir, "svc"),
      metrics: "/metrics",
      build: [],
      local: { portEnv: "LISTEN_PORT" },
    });
    // The named health check asks the target's own path; faults may aim at the target by name.
    expect(loaded.experiment.steadyState.before[0]!.probe.spec).toEqual({ path: "/healthz" });
    const fault = loaded.experiment.faults[0]!;
    expect(fault.systemUnderTest).toBe("checkout-api");
    expect(getInjector("process").describe(fault)).toMatch(/SIGSTOP/);
  });

  it("should refuse a fault aimed at a name that is neither the stack's nor the target's", () => {
    const dir = folder({
      "hang.yaml": `${EXPERIMENT.replace("target: checkout-api", "target: checkout-apy")}target: { name: checkout-api, url: "http://127.0.0.1:8080" }\n`,
    });
    expect(() => loadExperiment(path.join(dir, "hang.yaml"))).toThrow(
      /faults\[hang\]\.target: expected a component of the local stack \(.*checkout-api\), got "checkout-apy"/,
    );
  });

  it("should take an inline block, with paths relative to the experiment's folder", () => {
    const dir = folder({ "hang.yaml": `${EXPERIMENT}target: { name: checkout-api, url: "http://127.0.0.1:8080" }\n` });
    expect(loadExperiment(path.join(dir, "hang.yaml")).target).toMatchObject({ name: "checkout-api", url: "http://127.0.0.1:8080", dir });
  });

  it.each([
    ["a URL off this machine", 'target: { name: checkout-api, url: "http://10.0.0.5:8080" }', /target\.url: expected a loopback URL/],
    [
      "a name of the stack's own",
      'target: { name: prometheus, url: "http://127.0.0.1:8080" }',
      /target\.name: this name belongs to a part of the harness's own stack/,
    ],
    ["no way to reach the service", "target: { name: checkout-api }", /expected at least one way to reach the service: local:/],
    ["an image and a Dockerfile at once", "target: { name: checkout-api, container: { image: a, dockerfile: Dockerfile, port: 80 } }", /exactly one of image:/],
    ["a missing target file", "target: ../nowhere/target.yaml", /target: no target file at .*nowhere\/target\.yaml/],
  ])("should refuse %s, naming the field", (_, line, message) => {
    const dir = folder({ "hang.yaml": `${EXPERIMENT}${line}\n` });
    expect(() => loadExperiment(path.join(dir, "hang.yaml"))).toThrow(message);
  });

  it("should refuse a provider that cannot run the target, naming those that can", () => {
    const dir = folder({
      "hang.yaml": `${EXPERIMENT.replace("provider: local", "provider: testcontainers")}target: { name: checkout-api, url: "http://127.0.0.1:8080" }\n`,
    });
    expect(() => loadExperiment(path.join(dir, "hang.yaml"))).toThrow(
      "target: the testcontainers provider runs a target from its container: block, and hang.yaml: target has none; add one, or use env.provider local or existing",
    );
  });

  it("should let an existing deployment's target give the API's address, and ask for one when neither does", () => {
    const existing = (endpoints: string, target: string) =>
      `title: Does the deployment stay quiet?
env: { provider: existing, options: { endpoints: { ${endpoints}prometheus: "http://127.0.0.1:9090", alertmanager: "http://127.0.0.1:9093" } } }
steadyState: { before: [api-healthy] }
expectations:
  - { id: up, metric: 'up{job="checkout-api"} == 1', within: 30s of run-start }
${target}`;
    const dir = folder({
      "by-target.yaml": existing("", 'target: { name: checkout-api, url: "http://127.0.0.1:8080", health: /healthz }\n'),
      "by-nothing.yaml": existing("", ""),
      "both.yaml": existing('api: "http://127.0.0.1:8000", ', 'target: { name: checkout-api, url: "http://127.0.0.1:8080" }\n'),
    });
    expect(loadExperiment(path.join(dir, "by-target.yaml")).target).toMatchObject({ name: "checkout-api", url: "http://127.0.0.1:8080", health: "/healthz" });
    expect(() => loadExperiment(path.join(dir, "by-nothing.yaml"))).toThrow(
      /by-nothing\.yaml: env\.options\.endpoints\.api: expected the URL of the API under load, like http:\/\/127\.0\.0\.1:8000, or a target with url:/,
    );
    expect(() => loadExperiment(path.join(dir, "both.yaml"))).toThrow(
      /both\.yaml: env\.options\.endpoints\.api: http:\/\/127\.0\.0\.1:8000, but the target's url \(both\.yaml: target\) is http:\/\/127\.0\.0\.1:8080; give the API's address once/,
    );
  });

  it("should refuse a fault on the reference API's database when the experiment runs its own service", () => {
    const pool = "  - { id: pool, injector: pool-exhaustion, target: postgres, with: { connections: 10 }, at: 5s, duration: 10s }\n";
    const dir = folder({
      "hang.yaml": `${EXPERIMENT.replace("faults:\n", `faults:\n${pool}`).replace("[checkout-api]", "[checkout-api, postgres]")}target: { name: checkout-api, url: "http://127.0.0.1:8080" }\n`,
    });
    expect(() => loadExperiment(path.join(dir, "hang.yaml"))).toThrow(
      /faults\[pool\]\.injector: the pool-exhaustion injector needs postgres, which the local provider does not have/,
    );
  });

  it("should name a rule file the target lists but does not have, with the folder paths resolve against", () => {
    const dir = folder({ "target.yaml": TARGET, "hang.yaml": `${EXPERIMENT}target: target.yaml\n` });
    expect(() => loadExperiment(path.join(dir, "hang.yaml"))).toThrow(
      `rules[0]: no file at ${path.join(dir, "rules/checkout.rules.yml")}; paths are relative to ${dir}`,
    );
  });

  it("should name the target file and line of a bad field", () => {
    const dir = folder({
      "target.yaml": TARGET.replace("portEnv: LISTEN_PORT", "portEnv: listen-port"),
      "rules/checkout.rules.yml": "",
      "hang.yaml": `${EXPERIMENT}target: target.yaml\n`,
    });
    expect(() => loadExperiment(path.join(dir, "hang.yaml"))).toThrow(/target\.yaml:4: local\.portEnv: expected an environment variable name like PORT/);
  });
});
