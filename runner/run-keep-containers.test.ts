import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import axios from "axios";
import { execa } from "execa";
import { runCli } from "../test/cli.js";
import { ReportSchema } from "../core/report-schema.js";
import { PrometheusClient } from "../assertions/clients/index.js";
import { processesNamingDir } from "../env/shared/processes-naming-dir.js";
import { containerState } from "../chaos/utils/docker-containers.js";

process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "localhost";

const KEPT = `title: Does the stack in containers see when the harness injects a fault?
env: { provider: testcontainers, options: { images: local } }
allowlist: [jaeger]
steadyState: { before: [api-healthy, targets-up] }
faults:
  - { id: jaeger-paused, injector: docker, target: jaeger, with: { mode: pause }, at: 0s, duration: 15s }
expectations:
  - id: fault-marker-is-scraped
    metric: 'slo_harness_fault_active{fault="jaeger-paused"} == 1'
    within: 30s of jaeger-paused.start
`;

const QUIET = `title: Does another run leave the kept stack alone?\nenv: { provider: testcontainers, options: { images: local } }\nsteadyState: { before: [api-healthy] }\n`;

const stackContainers = async (runDir: string) =>
  (await execa("docker", ["ps", "-aq", "--filter", `label=slo-harness.run=${runDir}`])).stdout.split("\n").filter(Boolean);

describe("slo-harness run --keep on the testcontainers provider, then status and down", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-keep-tc-"));
  let runDir: string | undefined;

  afterAll(async () => {
    if (runDir && existsSync(runDir)) await runCli(["down", "--run-dir", runDir]).result;
    rmSync(dir, { recursive: true, force: true });
  });

  it("should keep the stack after the run, leave it to a later run, list it, and remove all of it on down", async () => {
    writeFileSync(path.join(dir, "kept.yaml"), KEPT);
    writeFileSync(path.join(dir, "quiet.yaml"), QUIET);
    const first = await runCli(["run", path.join(dir, "kept.yaml"), "--keep", "--out", path.join(dir, "kept")]).result;
    const report = ReportSchema.parse(JSON.parse(readFileSync(path.join(dir, "kept", "report.json"), "utf8")));
    runDir = report.environment.endpoints.runDir!;
    // Earned by the stack's own Prometheus scraping the harness through the network's gateway.
    expect({ code: first.code, verdict: report.verdict, stderr: first.stderr }).toEqual({
      code: 0,
      verdict: "pass",
      stderr: expect.stringContaining(`environment left running at ${runDir}`),
    });

    const status = await runCli(["status", "--json"]).result;
    const listed = (JSON.parse(status.stdout) as { runDir: string; provider: string; persistent: boolean; endpoints: Record<string, string> }[]).find(
      (s) => s.runDir === runDir,
    );
    expect(listed).toEqual({ runDir, provider: "testcontainers", persistent: true, endpoints: report.environment.endpoints });
    const network = (JSON.parse(readFileSync(path.join(runDir, "kept-stack.json"), "utf8")) as { network: string }).network;

    // The CLI has exited; the stack has not gone with it, and the fault was rolled back before it left.
    const prometheus = report.environment.endpoints.prometheus!;
    expect((await axios.get(`${prometheus}/-/ready`, { proxy: false })).status).toBe(200);
    const scraped = await new PrometheusClient(prometheus).query('max_over_time(up{job="slo-harness"}[10m])');
    expect(scraped.map((s) => s.value)).toEqual([1]);
    const containers = await stackContainers(runDir);
    expect(containers.length).toBeGreaterThanOrEqual(7);
    for (const id of containers) expect((await containerState(id))?.paused).toBe(false);
    expect(processesNamingDir(runDir)).not.toEqual([]);

    // A later run sweeps stacks killed runs left, not one kept on purpose.
    const next = await runCli(["run", path.join(dir, "quiet.yaml"), "--out", path.join(dir, "quiet")]).result;
    expect(next.code).toBe(0);
    expect(next.stderr).not.toContain(runDir);
    expect(await stackContainers(runDir)).toEqual(containers);

    const down = await runCli(["down"]).result;
    expect({ code: down.code, stdout: down.stdout }).toEqual({ code: 0, stdout: expect.stringContaining(`stopped ${runDir}`) });
    expect(await stackContainers(runDir)).toEqual([]);
    expect((await execa("docker", ["network", "inspect", network], { reject: false })).exitCode).not.toBe(0);
    expect(processesNamingDir(runDir)).toEqual([]);
    expect(existsSync(runDir)).toBe(false);
    expect(JSON.parse((await runCli(["status", "--json"]).result).stdout)).not.toContainEqual(expect.objectContaining({ runDir }));
  }, 600_000);
});
