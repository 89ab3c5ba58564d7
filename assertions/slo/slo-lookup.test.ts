import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "../../core/paths.js";
import { fixture } from "./formats/format-test-utils.js";
import { resolveExperimentSlos, sloPlaces } from "./slo-lookup.js";

const REPO_SLOS = path.join(repoRoot, "slos");

/** A team's folder: an experiment file, maybe SLO files beside it and in slos/ below it. */
function teamFolder(files: Record<string, string> = {}): { dir: string; experiment: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-lookup-"));
  const experiment = path.join(dir, "checkout.yaml");
  writeFileSync(experiment, "title: Does checkout page when it fails?\nexpectations: []\n");
  for (const [name, from] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    copyFileSync(fixture(from), path.join(dir, name));
  }
  return { dir, experiment };
}

describe("resolveExperimentSlos", () => {
  it("should find a name in an SLO file beside the experiment, skipping the experiment files there", () => {
    const { dir, experiment } = teamFolder({ "availability.yml": "sloth-getting-started.yml" });
    const [slo] = resolveExperimentSlos(["requests-availability"], sloPlaces(experiment, { repoDir: REPO_SLOS }), "checkout.yaml");
    expect(slo!.source).toBe(path.join(dir, "availability.yml"));
  });

  it("should find a name in a slos/ folder beside the experiment", () => {
    const { dir, experiment } = teamFolder({ "slos/caddy.yaml": "pyrra-caddy-response-latency.yaml" });
    const [slo] = resolveExperimentSlos(["caddy-response-latency"], sloPlaces(experiment, { repoDir: REPO_SLOS }), "checkout.yaml");
    expect(slo!.source).toBe(path.join(dir, "slos", "caddy.yaml"));
  });

  it("should find a name in the --slos folder", () => {
    const { experiment } = teamFolder();
    const shared = mkdtempSync(path.join(tmpdir(), "slo-harness-shared-"));
    copyFileSync(fixture("sloth-openslo-getting-started.yml"), path.join(shared, "openslo.yml"));
    const places = sloPlaces(experiment, { extraDir: shared, repoDir: REPO_SLOS });
    expect(resolveExperimentSlos(["sloth-slo-my-service"], places, "checkout.yaml")[0]!.source).toBe(path.join(shared, "openslo.yml"));
  });

  it("should find a name in the repository's slos/ and keep inline SLOs as they are", () => {
    const { experiment } = teamFolder();
    const inline = { name: "inline", objective: 99, window: "30d", errorQuery: "e[{{window}}]", totalQuery: "t[{{window}}]", clientErrors: "5xx" as const };
    const slos = resolveExperimentSlos(["analysis-availability-99", inline], sloPlaces(experiment, { repoDir: REPO_SLOS }), "checkout.yaml");
    expect(slos.map((s) => s.name)).toEqual(["analysis-availability-99", "inline"]);
  });

  it("should refuse a name found in two places, naming both files", () => {
    const { dir, experiment } = teamFolder({ "a.yml": "sloth-getting-started.yml", "slos/b.yml": "sloth-kubernetes-apiserver.yml" });
    const places = sloPlaces(experiment, { repoDir: REPO_SLOS });
    expect(() => resolveExperimentSlos(["requests-availability"], places, "checkout.yaml")).toThrow(
      `checkout.yaml: slos[0]: "requests-availability" is defined in ${path.join(dir, "a.yml")} and in ${path.join(dir, "slos", "b.yml")} (slos[0]); rename or remove one`,
    );
  });

  it("should not count one folder reached two ways as two places", () => {
    const { experiment } = teamFolder();
    const places = sloPlaces(experiment, { extraDir: REPO_SLOS, repoDir: REPO_SLOS });
    expect(places.map((p) => p.why)).toEqual(["beside the experiment", "beside the experiment", "--slos"]);
    expect(resolveExperimentSlos(["analysis-availability-99"], places, "checkout.yaml")).toHaveLength(1);
  });

  it("should list where it looked and the near names for an unknown name", () => {
    const { dir, experiment } = teamFolder({ "slos/caddy.yaml": "pyrra-caddy-response-latency.yaml" });
    const places = sloPlaces(experiment, { repoDir: REPO_SLOS });
    let message = "";
    try {
      resolveExperimentSlos(["analysis-availability-90"], places, "checkout.yaml");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('checkout.yaml: slos[0]: no SLO named "analysis-availability-90" in ');
    expect(message).toContain(`${dir}/ (beside the experiment), ${path.join(dir, "slos")}/ (beside the experiment), slos/ (the repository's)`);
    expect(message).toContain('did you mean "analysis-availability-99"?');
  });

  it("should refuse a file in the --slos folder that is no SLO, as that folder holds nothing else", () => {
    const { dir, experiment } = teamFolder();
    const places = sloPlaces(experiment, { extraDir: dir, repoDir: REPO_SLOS });
    expect(places.map((p) => p.why)).toEqual(["beside the experiment", "beside the experiment", "the repository's"]);
    const other = teamFolder().experiment;
    expect(() => resolveExperimentSlos(["x"], sloPlaces(other, { extraDir: dir, repoDir: REPO_SLOS }), "other.yaml")).toThrow(
      `${experiment}: apiVersion (or Sloth's version): missing, so this is not an SLO document; expected one of: OpenSLO v1`,
    );
  });

  it("should refuse a --slos folder that does not exist", () => {
    const { experiment } = teamFolder();
    const places = sloPlaces(experiment, { extraDir: "/nonexistent/team-slos", repoDir: REPO_SLOS });
    expect(() => resolveExperimentSlos(["x"], places, "checkout.yaml")).toThrow("--slos /nonexistent/team-slos: no such folder; give a folder of SLO files");
  });
});
