import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { systemTool } from "../../core/tool-binaries.js";

// CI runs jest only: this is how the target's own Go and promtool tests run there.
const here = path.dirname(fileURLToPath(import.meta.url));
const go = existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : "go";
// As tools/install-go-tools.sh builds: never fetch another toolchain, keep .git out of build info.
const goEnv = { GOTOOLCHAIN: "local", GOFLAGS: "-buildvcs=false", CGO_ENABLED: "0" };

describe("checkout-api, the Go reference target", () => {
  it("should pass go vet", async () => {
    const result = await execa(go, ["vet", "./..."], { cwd: here, env: goEnv, reject: false, all: true });
    expect(result.all).toBe("");
    expect(result.exitCode).toBe(0);
  });

  it("should pass its Go tests, the binary through a real otelcol-slo included", async () => {
    const result = await execa(go, ["test", "-count=1", "-v", "./..."], { cwd: here, env: goEnv, reject: false, all: true });
    expect(result.all).not.toMatch(/--- (FAIL|SKIP)/);
    expect(result.all).toMatch(/--- PASS: TestTheBuiltBinaryExportsThroughARealCollector/);
    expect(result.exitCode).toBe(0);
  });

  it("should load its rules in promtool and pass their unit tests", async () => {
    const promtool = systemTool("/usr/bin/promtool", "prometheus");
    const rules = path.join(here, "rules");
    const checked = await execa(promtool, ["check", "rules", "checkout-api.rules.yml"], { cwd: rules, reject: false, all: true });
    expect(checked.all).toMatch(/SUCCESS: 7 rules found/);
    const tested = await execa(promtool, ["test", "rules", "checkout-api.rules.test.yml"], { cwd: rules, reject: false, all: true });
    expect(tested.all).toMatch(/SUCCESS/);
    expect(tested.exitCode).toBe(0);
  });
});
