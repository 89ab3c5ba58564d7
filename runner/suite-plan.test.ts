import type { LoadedExperiment } from "./experiment-loader.js";
import { byEnvironment, reportFolders } from "./suite-plan.js";

const experiment = (file: string, provider: string) =>
  ({
    file,
    id: file
      .split("/")
      .at(-1)!
      .replace(/\.yaml$/, ""),
    experiment: { env: { provider } },
  }) as unknown as LoadedExperiment;

describe("a suite of experiments", () => {
  const local = experiment("experiments/smoke.yaml", "local");
  const kind = experiment("experiments/kubernetes/pod-eviction.yaml", "kind");
  const local2 = experiment("experiments/pool-exhaustion.yaml", "local");

  it("should group experiments by the environment each names, in the order given", () => {
    const groups = byEnvironment([local, kind, local2], undefined);
    expect([...groups.keys()]).toEqual(["local environment", "kind environment"]);
    expect(groups.get("local environment")).toEqual([local, local2]);
    expect(groups.get("kind environment")).toEqual([kind]);
  });

  it("should put every experiment on --env's environment", () => {
    expect([...byEnvironment([local, kind], "kind")]).toEqual([["kind environment", [local, kind]]]);
  });

  it("should give experiments of different targets an environment each, even on one provider", () => {
    const target = (name: string) => ({ name, dir: `/t/${name}`, source: `t/${name}/target.yaml` });
    const mine = { ...experiment("t/checkout-api/experiments/smoke.yaml", "local"), target: target("checkout-api") } as LoadedExperiment;
    const groups = byEnvironment([local, mine, local2], undefined);
    expect([...groups.values()]).toEqual([[local, local2], [mine]]);
    expect([...groups.keys()][1]).toBe("local environment of checkout-api (t/checkout-api/target.yaml)");
  });

  it("should write a single experiment's reports to the folder given, and a suite's to one folder each", () => {
    expect(reportFolders([local], "out").get(local)).toBe("out");
    const folders = reportFolders([local, kind, local2], "out");
    expect([...folders.values()]).toEqual(["out/smoke", "out/pod-eviction", "out/pool-exhaustion"]);
  });

  it("should keep two files of one name apart by their folder, then by a number", () => {
    const other = experiment("mine/kubernetes/smoke.yaml", "kind");
    const third = experiment("theirs/kubernetes/smoke.yaml", "kind");
    expect([...reportFolders([local, other, third], "out").values()]).toEqual(["out/smoke", "out/kubernetes-smoke", "out/smoke-2"]);
  });
});
