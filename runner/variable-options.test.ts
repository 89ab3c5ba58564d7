import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BadInputError } from "../core/errors.js";
import { redact } from "../core/redact.js";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadExperiment } from "./experiment-loader.js";
import { checkVariablesUsed, variablesFrom } from "./variable-options.js";

function varFile(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "var-file-")), "vars.yaml");
  writeFileSync(file, text);
  return file;
}

describe("variablesFrom", () => {
  it("should read a var file's name: value lines as text, with --var winning over it", () => {
    const file = varFile("# staging\nprometheus_url: https://127.0.0.1:9090\ncompress: 30\nrate: 5/s\n");
    const vars = variablesFrom({ varFile: file, var: ["rate=20/s", "extra=a=b"] });
    expect(Object.fromEntries(vars)).toEqual({ prometheus_url: "https://127.0.0.1:9090", compress: "30", rate: "20/s", extra: "a=b" });
  });

  it("should name the file, the line and the fix for a value that cannot go into text", () => {
    const file = varFile("ok: 1\nlist: [a, b]\n");
    expect(() => variablesFrom({ varFile: file })).toThrow(
      new BadInputError(`${file}:2: list: a list, mapping or empty value cannot go into text; give a string, a number or true/false`),
    );
  });

  it("should refuse a var file that is not a mapping, and a bad name", () => {
    expect(() => variablesFrom({ varFile: varFile("- a\n- b\n") })).toThrow(/expected name: value lines/);
    expect(() => variablesFrom({ var: ["9lives=x"] })).toThrow('--var: "9lives" is not a variable name');
    expect(() => variablesFrom({ var: ["novalue"] })).toThrow('--var: expected name=value like rate=20/s, got "novalue"');
  });

  it("should redact the value of a variable named like a secret, and only that", () => {
    variablesFrom({ var: ["api_token=s3cr3t-value", "namespace=genomics-staging"] });
    expect(redact("sent s3cr3t-value to genomics-staging")).toBe("sent *** to genomics-staging");
  });
});

describe("checkVariablesUsed", () => {
  it("should refuse a --var no experiment reads, with the name most likely meant", () => {
    expect(() => checkVariablesUsed({ var: ["rat=20/s", "rate=20/s"] }, ["rate"])).toThrow(
      new BadInputError("--var rat: no experiment file reads ${rat}; did you mean rate?"),
    );
    expect(() => checkVariablesUsed({ var: ["rate=20/s"] }, ["rate"])).not.toThrow();
  });
});

describe("loadExperiment with variables", () => {
  it("should record the names the file reads and the hash of the file as written, not as substituted", () => {
    const file = path.join("runner", "fixtures", "with-variables.yaml");
    const loaded = loadExperiment(file, { vars: variablesFrom({ var: ["rate=20/s", "compress=10"] }) });
    expect(loaded.variables).toEqual(["compress", "rate", "service"]);
    expect(loaded.experiment.rules.compress).toBe(10);
    expect(loaded.sha256).toBe(createHash("sha256").update(readFileSync(file)).digest("hex"));
  });
});
