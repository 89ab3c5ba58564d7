import YAML, { LineCounter } from "yaml";
import { BadInputError } from "./errors.js";
import { substituteYamlVariables, unquotedReferenceHint } from "./variables.js";

function substituted(text: string, vars: Record<string, string>): { value: unknown; used: string[] } {
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter });
  const used = substituteYamlVariables(doc, new Map(Object.entries(vars)), "exp.yaml", lineCounter);
  return { value: doc.toJS(), used };
}

function failure(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(BadInputError);
    return (err as Error).message;
  }
  throw new Error("expected a BadInputError");
}

describe("one value's references", () => {
  /** A value on line 7 of exp.yaml, quoted so YAML keeps the text as written. */
  const one = (text: string, vars: Record<string, string> = {}) => substituted(`${"\n".repeat(6)}v: ${JSON.stringify(text)}\n`, vars).value;

  it("should expand ${name} inside text", () => {
    expect(one("http://${host}:9090/x", { host: "10.0.0.1" })).toEqual({ v: "http://10.0.0.1:9090/x" });
  });

  it("should use the default of ${name:-default} when the name is not given, and the value when it is", () => {
    expect(one("${ns:-genomics}")).toEqual({ v: "genomics" });
    expect(one("${ns:-genomics}", { ns: "staging" })).toEqual({ v: "staging" });
    expect(one("[${empty:-}]")).toEqual({ v: "[]" });
  });

  it("should keep $${ as a literal ${", () => {
    expect(one("cost $${price} and ${n}", { n: "2" })).toEqual({ v: "cost ${price} and 2" });
  });

  it("should name the place, the variable and both fixes when a variable is not set", () => {
    expect(failure(() => one("x ${token} y"))).toBe(
      "exp.yaml:7: ${token} is not set; pass --var token=… (or put it in a --var-file), or give a default: ${token:-…}",
    );
  });

  it("should refuse a reference that is not one, and one left open", () => {
    expect(failure(() => one("${not a name}"))).toContain('exp.yaml:7: "${not a name}" is not a variable reference');
    expect(failure(() => one("a ${open"))).toContain('exp.yaml:7: "${open" has no closing }');
  });
});

describe("substituteYamlVariables", () => {
  it("should substitute parsed values, so a value with a colon or a newline stays one value", () => {
    const { value } = substituted("title: ${t}\nenv: { provider: local }\n", { t: "a: b\nenv: { provider: existing }" });
    expect(value).toEqual({ title: "a: b\nenv: { provider: existing }", env: { provider: "local" } });
  });

  it("should give a whole reference the type YAML would read, and keep text where it is mixed or tagged !!str", () => {
    const { value } = substituted('rules: { compress: "${f}" }\nfast: ${yes}\ntitle: "x${f}"\nid: !!str "${f}"\nrate: ${rate}\n', {
      f: "30",
      yes: "true",
      rate: "20/s",
    });
    expect(value).toEqual({ rules: { compress: 30 }, fast: true, title: "x30", id: "30", rate: "20/s" });
  });

  it("should return the names the document reads, and leave keys as written", () => {
    const { value, used } = substituted('${k}: ${b}\nlist: ["${a}", "${b:-x}"]\n', { a: "1", b: "2" });
    expect(value).toEqual({ "${k}": 2, list: [1, 2] });
    expect(used).toEqual(["a", "b"]);
  });

  it("should name every unset variable with its line, at once", () => {
    const message = failure(() => substituted("title: ok\nload:\n  rate: ${rate}\n  path: ${path}\n", {}));
    expect(message.split("\n")).toEqual([
      "exp.yaml:3: ${rate} is not set; pass --var rate=… (or put it in a --var-file), or give a default: ${rate:-…}",
      "exp.yaml:4: ${path} is not set; pass --var path=… (or put it in a --var-file), or give a default: ${path:-…}",
    ]);
  });

  it("should count a block scalar's reference from its header line", () => {
    expect(failure(() => substituted("description: |\n  first\n  second ${gone}\n", {}))).toMatch(/^exp\.yaml:3: \$\{gone\} is not set/);
  });
});

describe("unquotedReferenceHint", () => {
  it("should point at an unquoted reference inside a flow mapping, and stay quiet otherwise", () => {
    expect(unquotedReferenceHint("title: x\nload: { rate: ${rate} }\n")).toMatch(/^line 2: a \$\{…\} inside \{ \} or \[ \] must be quoted/);
    expect(unquotedReferenceHint('load: { rate: "${rate}" }\nrate: ${r}\n')).toBeUndefined();
  });
});
