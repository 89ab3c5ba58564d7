import { existsSync } from "node:fs";
import axios from "axios";
import { execa } from "execa";
import { runCli } from "../test/cli.js";
import { processesNamingDir } from "../env/shared/processes-naming-dir.js";

describe("slo-harness up / down", () => {
  it("should return with the stack running, print its endpoints as JSON, and stop it on down", async () => {
    const up = await runCli(["up", "--env", "local", "--json"]).result;
    expect(up.code).toBe(0);
    const endpoints = JSON.parse(up.stdout) as Record<string, string>;
    expect(Object.keys(endpoints)).toEqual(expect.arrayContaining(["api", "prometheus", "alertmanager", "jaeger", "logs", "collector", "postgres", "runDir"]));
    try {
      // The CLI has exited; the stack must not have gone with it.
      expect((await axios.get(`${endpoints.api}/health`, { proxy: false })).status).toBe(200);
      expect((await axios.get(`${endpoints.prometheus}/-/ready`, { proxy: false })).status).toBe(200);
      expect(processesNamingDir(endpoints.runDir!).length).toBeGreaterThanOrEqual(8);
    } finally {
      const down = await runCli(["down", "--run-dir", endpoints.runDir!]).result;
      expect(down.code).toBe(0);
    }
    expect(processesNamingDir(endpoints.runDir!)).toEqual([]);
    expect(existsSync(endpoints.runDir!)).toBe(false);
  });
});

describe("slo-harness up --env testcontainers / down", () => {
  it("should leave the stack's containers running after the CLI exits, and remove them, the network and the receiver on down", async () => {
    const up = await runCli(["up", "--env", "testcontainers", "--images", "local", "--json"], {
      env: { TESTCONTAINERS_RYUK_DISABLED: "true", TESTCONTAINERS_HOST_OVERRIDE: "localhost" },
    }).result;
    expect(up.code).toBe(0);
    const endpoints = JSON.parse(up.stdout) as Record<string, string>;
    expect(Object.keys(endpoints)).toEqual(expect.arrayContaining(["api", "prometheus", "toxiproxy", "postgres", "alertReceiver", "runDir"]));
    const containers = async () =>
      (await execa("docker", ["ps", "-aq", "--filter", `label=slo-harness.run=${endpoints.runDir}`])).stdout.split("\n").filter(Boolean);
    try {
      expect((await axios.get(`${endpoints.api}/health`, { proxy: false })).status).toBe(200);
      expect((await axios.get(`${endpoints.alertReceiver}/-/ready`, { proxy: false })).status).toBe(200);
      expect((await containers()).length).toBe(8);
    } finally {
      const down = await runCli(["down", "--run-dir", endpoints.runDir!]).result;
      expect({ code: down.code, stdout: down.stdout.trim() }).toEqual({ code: 0, stdout: `stopped ${endpoints.runDir}` });
    }
    expect(await containers()).toEqual([]);
    expect(processesNamingDir(endpoints.runDir!)).toEqual([]);
    expect(existsSync(endpoints.runDir!)).toBe(false);
  });

  it("should refuse a provider up cannot start, and --images without containers, naming the flag", async () => {
    const kind = await runCli(["up", "--env", "kind"]).result;
    expect({ code: kind.code, stderr: kind.stderr }).toEqual({
      code: 2,
      stderr: expect.stringContaining('--env: "kind" is not available for up; use local or testcontainers'),
    });
    const images = await runCli(["up", "--images", "local"]).result;
    expect({ code: images.code, stderr: images.stderr }).toEqual({
      code: 2,
      stderr: expect.stringContaining("--images: only the testcontainers provider takes images"),
    });
  });
});
