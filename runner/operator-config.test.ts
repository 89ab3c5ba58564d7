import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../test/cli.js";
import { defaultOperatorConfigPath, operatorGuards } from "./operator-config.js";

describe("operator guards", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "operator-config-"));
  const none = { SLO_HARNESS_OPERATOR_CONFIG: path.join(dir, "absent.yaml") };

  it("should default to the protected patterns, no chaos namespace and no system namespace", () => {
    expect(operatorGuards({}, none)).toEqual({
      protectedContexts: ["*prod*", "*production*", "*prd*", "*live*"],
      allowProtectedContext: false,
      chaosNamespaces: [],
      allowSystemNamespaces: [],
    });
  });

  it("should add the operator config's and the command line's lists, and never drop a default pattern", () => {
    const file = path.join(dir, "operator.yaml");
    writeFileSync(file, "protectedContexts: ['*-main']\nchaosNamespaces: [genomics]\n");
    const guards = operatorGuards({ operatorConfig: file, chaosNamespace: ["payments"], protectedContext: ["eu-*"], allowSystemNamespace: ["kube-system"] });
    expect(guards.protectedContexts).toEqual(["*prod*", "*production*", "*prd*", "*live*", "*-main", "eu-*"]);
    expect(guards.chaosNamespaces).toEqual(["genomics", "payments"]);
    expect(guards.allowSystemNamespaces).toEqual(["kube-system"]);
  });

  it("should read ~/.config/slo-harness/operator.yaml unless told otherwise", () => {
    expect(defaultOperatorConfigPath({ HOME: "/home/sre" })).toMatch(/\.config\/slo-harness\/operator\.yaml$/);
    expect(defaultOperatorConfigPath({ XDG_CONFIG_HOME: "/cfg" })).toBe("/cfg/slo-harness/operator.yaml");
    expect(defaultOperatorConfigPath({ SLO_HARNESS_OPERATOR_CONFIG: "/etc/slo.yaml" })).toBe("/etc/slo.yaml");
  });

  it("should name the file and the field of a bad operator config, and refuse a system namespace from it", () => {
    const file = path.join(dir, "bad.yaml");
    writeFileSync(file, "chaosNamespaces: [genomics]\nallowSystemNamespaces: [kube-system]\n");
    expect(() => operatorGuards({ operatorConfig: file })).toThrow(
      `${file}: (top level): unknown field "allowSystemNamespaces"; the operator config takes protectedContexts and chaosNamespaces`,
    );
    expect(() => operatorGuards({ operatorConfig: path.join(dir, "missing.yaml") })).toThrow(/missing\.yaml: the operator config does not exist/);
    expect(() => operatorGuards({ allowSystemNamespace: ["genomics"] }, none)).toThrow(
      '--allow-system-namespace: "genomics" is not a system namespace (kube-system, kube-public, kube-node-lease); for any other namespace use --chaos-namespace genomics',
    );
  });

  it("should refuse an experiment that tries to set the guards itself, exit 2, naming file, line and where the setting goes", async () => {
    const file = path.join(dir, "widens.yaml");
    writeFileSync(
      file,
      [
        "title: Widens its own blast radius",
        "env:",
        "  provider: existing",
        "  options:",
        "    chaosNamespaces: ['*']",
        "    endpoints: { api: http://127.0.0.1:8000, prometheus: http://127.0.0.1:9090, alertmanager: http://127.0.0.1:9093 }",
        "steadyState: { before: [api-healthy] }",
        "",
      ].join("\n"),
    );
    const { code, stderr } = await runCli(["validate", file]).result;
    expect(code).toBe(2);
    expect(stderr).toMatch(/widens\.yaml:5: env\.options: chaosNamespaces moved out of experiments: .*--chaos-namespace shop/);
  });
});
