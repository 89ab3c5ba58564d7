import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../core/paths.js";
import { experimentJsonSchema } from "./json-schema.js";

describe("experiment JSON Schema", () => {
  it("should match the schema the experiment files point editors at (regenerate with `slo-harness schema`)", () => {
    const committed = readFileSync(path.join(repoRoot, "experiments", "experiment.schema.json"), "utf8");
    expect(committed).toBe(experimentJsonSchema());
  });

  it("should describe the sections of an experiment and the deadline grammar", () => {
    const schema = JSON.parse(experimentJsonSchema());
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["env", "load", "faults", "expectations", "steadyState", "slos", "report"]));
    expect(JSON.stringify(schema)).toContain("(run-start|load-end|");
  });
});
