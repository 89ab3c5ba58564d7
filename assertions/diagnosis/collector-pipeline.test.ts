import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import axios from "axios";
import { cachedTool } from "../../core/tool-binaries.js";
import { freePort } from "../../env/shared/free-port.js";
import { eventually } from "../../test/eventually.js";
import { collectorTakes } from "./collector-pipeline.js";

/** The real collector, with a traces pipeline and no logs pipeline: the defect "logs pipeline removed". */
describe("collectorTakes, against the real collector", () => {
  let collector: ChildProcess;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const config = path.join(mkdtempSync(path.join(tmpdir(), "slo-harness-otelcol-")), "config.yaml");
    writeFileSync(
      config,
      `receivers: { otlp: { protocols: { http: { endpoint: "127.0.0.1:${port}" } } } }\nexporters: { debug: {} }\nservice:\n  telemetry: { metrics: { level: none } }\n  pipelines: { traces: { receivers: [otlp], exporters: [debug] } }\n`,
    );
    collector = spawn(cachedTool("otelcol-slo"), ["--config", config], { stdio: "ignore" });
    await eventually(() => axios.post(`${url}/v1/traces`, { resourceSpans: [] }, { proxy: false }), 15_000);
  });
  afterAll(() => collector?.kill("SIGKILL"));

  it("should say it takes traces, has no pipeline for logs, and cannot tell when it is not there", async () => {
    expect(await collectorTakes(url, "spans")).toBe(true);
    expect(await collectorTakes(url, "log_records")).toBe(false);
    expect(await collectorTakes("http://127.0.0.1:9", "spans")).toBeUndefined();
    expect(await collectorTakes(undefined, "spans")).toBeUndefined();
  });
});
