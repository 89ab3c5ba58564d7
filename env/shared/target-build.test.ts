import { tmpdir } from "node:os";
import { referenceTarget } from "./reference-target.js";
import { runTargetCommands, runTargetSteps } from "./target-build.js";

const target = { ...referenceTarget(), name: "orders", source: "targets/orders/target.yaml" };

describe("a target's commands", () => {
  it("should run them in order, log each with its time, and stop at the first failure with its exit code and output's tail", async () => {
    const lines: string[] = [];
    const commands = [["true"], ["sh", "-c", "seq 1 30; echo 'migration 0004 failed' >&2; exit 3"], ["touch", "never-run"]];
    const failure = await runTargetCommands(target, "local.setup", commands, tmpdir(), {}, (l) => lines.push(l)).catch((err: Error) => err.message);
    expect(lines).toEqual([expect.stringMatching(/^orders: local\.setup\[0\] true \(\d+\.\d s\)$/)]);
    expect(failure).toMatch(
      new RegExp(`^targets/orders/target\\.yaml: local\\.setup\\[1\\] \\(sh -c seq 1 30; .*\\) failed in ${tmpdir()} \\(exit 3\\):\\n12\\n`),
    );
    expect(failure).toMatch(/\n30\nmigration 0004 failed$/);
    expect(failure).not.toMatch(/\n11\n/);
  });

  it("should say why a program could not start at all", async () => {
    const failure = await runTargetCommands(target, "build", [["./no-such-build-script"]], tmpdir(), {}).catch((err: Error) => err.message);
    expect(failure).toMatch(
      /^targets\/orders\/target\.yaml: build\[0\] \(\.\/no-such-build-script\) failed in \S+ \(Command failed with ENOENT: \.\/no-such-build-script/,
    );
  });

  it("should name where another runner ran them, as the container set-up does", async () => {
    const run = async (argv: string[]) => ({ failed: argv[0] === "migrate", why: "exit 1", output: "relation already exists" });
    await expect(runTargetSteps(target, "container.setup", [["seed"], ["migrate"]], "in its container", run)).rejects.toThrow(
      "targets/orders/target.yaml: container.setup[1] (migrate) failed in its container (exit 1):\nrelation already exists",
    );
  });
});
