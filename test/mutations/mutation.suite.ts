import { DEFECTS, type BuiltInExperiment, type Defect } from "./defects.js";
import { findCheck, runExperimentOn } from "./run-experiment-on.js";
import { copyStack } from "./stack-copy.js";

interface Row {
  defect: string;
  experiment: string;
  verdict: string;
  caught: boolean;
  evidence: string;
}

const oneLine = (text: string, max = 240) =>
  text.replace(/\s+/g, " ").length > max ? `${text.replace(/\s+/g, " ").slice(0, max - 1)}…` : text.replace(/\s+/g, " ");

/**
 * Seeds each defect into a copy of the stack and runs the built-in experiment paired with it:
 * the run must fail (exit 1: a defect inside the stack under test is never "inconclusive"), the
 * expectations named must fail, and their evidence must name the hop where the signal was lost.
 * The same experiments on an untouched copy must pass, or the score would mean nothing.
 */
describe("mutation suite: seeded stack defects are caught", () => {
  const rows: Row[] = [];

  afterAll(() => {
    const caught = rows.filter((r) => r.caught).length;
    const seeded = rows.filter((r) => r.defect !== "(healthy)").length;
    const lines = rows.map(
      (r) =>
        `${r.defect.padEnd(34)} ${r.experiment.padEnd(16)} ${r.verdict.padEnd(13)} ${(r.caught ? "caught" : r.defect === "(healthy)" ? "-" : "MISSED").padEnd(7)} ${r.evidence}`,
    );
    console.log(
      [
        `${"defect".padEnd(34)} ${"experiment".padEnd(16)} ${"verdict".padEnd(13)} ${"result".padEnd(7)} evidence`,
        ...lines,
        "",
        `mutation score: ${caught}/${seeded} caught (${seeded ? ((caught / seeded) * 100).toFixed(0) : 0} %)`,
      ].join("\n"),
    );
  });

  const experiments = [...new Set(DEFECTS.map((d) => d.experiment))] as BuiltInExperiment[];
  for (const experiment of experiments) {
    it(`should pass ${experiment} on an untouched copy of the stack`, async () => {
      const run = await runExperimentOn(experiment, copyStack("healthy"), `healthy-${experiment}`);
      const failing = run.report?.expectations.filter((e) => e.verdict !== "pass").map((e) => `${e.id}: ${e.verdict} ${e.reason ?? ""}`) ?? [run.tail];
      rows.push({
        defect: "(healthy)",
        experiment,
        verdict: run.report?.verdict ?? `exit ${run.code}`,
        caught: false,
        evidence: oneLine(failing.join("; ") || "every expectation passed"),
      });
      expect({ verdict: run.report?.verdict, failing }).toEqual({ verdict: "pass", failing: [] });
    });
  }

  const check = async (defect: Defect) => {
    const copy = copyStack(defect.id);
    defect.apply(copy);
    const run = await runExperimentOn(defect.experiment, copy, defect.id);
    const report = run.report;
    const named = defect.mustNotPass.map((id) => ({ id, result: report ? findCheck(report, id) : undefined }));
    const said = (r: (typeof named)[number]["result"]) =>
      [r?.reason, r?.diagnosis?.summary, ...(r?.evidence.map((e) => e.result) ?? [])].filter(Boolean).join(" / ");
    const caught = run.code === 1 && report?.verdict === "fail" && named.every((n) => n.result?.verdict === "fail" && defect.hop.test(said(n.result)));
    // Why the verdict is what it is (with the hop), then what the backend answered.
    const evidence = named.map((n) => `${n.id}: ${n.result?.verdict ?? "missing"} — ${said(n.result) || run.tail}`).join("; ");
    rows.push({ defect: defect.id, experiment: defect.experiment, verdict: report?.verdict ?? `exit ${run.code}`, caught, evidence: oneLine(evidence) });
    expect({ defect: defect.id, caught, evidence }).toEqual({ defect: defect.id, caught: true, evidence });
  };
  for (const defect of DEFECTS) it(`should catch ${defect.id}: ${defect.description}`, () => check(defect));
});
