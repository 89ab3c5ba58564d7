import { existsSync } from "node:fs";
import axios from "axios";
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
