import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fixture } from "../formats/format-test-utils.js";
import { checkSloFiles } from "./slo-check.js";

function folderOf(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-slo-check-test-"));
  for (const [name, from] of Object.entries(files)) copyFileSync(fixture(from), path.join(dir, name));
  return dir;
}

describe("checkSloFiles", () => {
  it("should pass a folder of Sloth, OpenSLO and Pyrra files whose generated rules promtool accepts", async () => {
    const dir = folderOf({
      "a.yml": "sloth-openslo-getting-started.yml",
      "b.yml": "sloth-kubernetes-apiserver.yml",
      "c.yaml": "pyrra-caddy-response-latency.yaml",
    });
    const results = await checkSloFiles(dir);
    expect(results.filter((r) => r.status !== "pass")).toEqual([]);
    expect(results.map((r) => r.check)).toEqual([
      expect.stringMatching(/^read SLO file .*a\.yml$/),
      expect.stringMatching(/^promtool check rules \(generated from .*a\.yml\)$/),
      expect.stringMatching(/^read SLO file .*b\.yml$/),
      expect.stringMatching(/^promtool check rules \(generated from .*b\.yml\)$/),
      expect.stringMatching(/^read SLO file .*c\.yaml$/),
      expect.stringMatching(/^promtool check rules \(generated from .*c\.yaml\)$/),
    ]);
    expect(results[2]!.detail).toBe("requests-availability (99.9 % over 30d), requests-latency (99 % over 30d)");
  });

  it("should fail a file it cannot read, naming the file and the field, and a name two files define", async () => {
    const dir = folderOf({ "a.yml": "sloth-getting-started.yml", "b.yml": "sloth-kubernetes-apiserver.yml" });
    writeFileSync(path.join(dir, "c.yml"), "version: prometheus/v2\nservice: x\nslos: []\n");
    const failed = (await checkSloFiles(dir)).filter((r) => r.status === "fail");
    expect(failed.map((r) => r.detail)).toEqual([
      expect.stringContaining(`${path.join(dir, "c.yml")}: version: "prometheus/v2" is not a format the harness reads; expected one of:`),
      expect.stringContaining('the SLO name "requests-availability" is also defined in'),
    ]);
  });

  it("should fail a folder that does not exist", async () => {
    expect(await checkSloFiles("/nonexistent/slos")).toEqual([
      { check: "SLO folder /nonexistent/slos", status: "fail", detail: "--slos /nonexistent/slos: no such folder; give a folder of SLO files" },
    ]);
  });
});
