import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { WORKBOOK_POLICY, loadBurnPolicy, policyWindows, shortWindowFor } from "./burn-rate-policy.js";

function write(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "slo-harness-test-")), "policy.yml");
  writeFileSync(file, text);
  return file;
}

describe("burn-rate policy", () => {
  it("should pair each long window with a short one of 1/12 its length", () => {
    expect(shortWindowFor("1h")).toBe("5m");
    expect(shortWindowFor("6h")).toBe("30m");
    expect(shortWindowFor("3d")).toBe("6h");
  });

  it("should need a recording rule for every window of the Workbook's policy", () => {
    expect(policyWindows(WORKBOOK_POLICY)).toEqual(["5m", "30m", "1h", "6h", "3d"]);
  });

  it("should read a policy file and fill in short windows", () => {
    const policy = loadBurnPolicy(write("- severity: page\n  for: 1m\n  windows:\n    - { longWindow: 2h, burnRate: 10 }\n"));
    expect(policy).toEqual([{ severity: "page", for: "1m", windows: [{ longWindow: "2h", shortWindow: "10m", burnRate: 10 }] }]);
  });

  it("should name the file and field of a bad policy", () => {
    const file = write("- severity: page\n  windows:\n    - { longWindow: 2 hours, burnRate: 10 }\n");
    expect(() => loadBurnPolicy(file)).toThrow(new RegExp(`${file}: 0\\.windows\\.0\\.longWindow: expected a Prometheus duration`));
  });
});
