import { Agent } from "node:http";
import axios from "axios";
import { HarnessMetrics } from "./harness-metrics.js";

// A fresh connection each time: a kept-alive one would outlive the listener it came from.
const scrape = (address: string) =>
  axios.get<string>(`http://${address}/metrics`, { proxy: false, timeout: 2000, responseType: "text", httpAgent: new Agent({ keepAlive: false }) });

describe("HarnessMetrics' listeners", () => {
  it("should serve the same registry on every address, and stop serving one when it is closed", async () => {
    const metrics = new HarnessMetrics();
    try {
      const loopback = await metrics.serve();
      // Another loopback address stands for a Docker network's gateway: a second address of this host.
      const other = await metrics.listen("127.0.0.2");
      expect(other.address).toMatch(/^127\.0\.0\.2:\d+$/);
      metrics.track("exp")({ kind: "fault-injected", id: "db-down", at: new Date().toISOString(), data: { injector: "process" } });
      for (const address of [loopback, other.address])
        expect((await scrape(address)).data).toContain('slo_harness_fault_active{experiment="exp",fault="db-down",injector="process"} 1');
      await other.close();
      await expect(scrape(other.address)).rejects.toThrow(/ECONNREFUSED/);
      expect((await scrape(loopback)).status).toBe(200);
    } finally {
      await metrics.close();
    }
  });

  it("should name the address it could not listen on", async () => {
    const metrics = new HarnessMetrics();
    try {
      await expect(metrics.listen("192.0.2.1")).rejects.toThrow(/harness metrics: cannot listen on 192\.0\.2\.1:0: .*EADDRNOTAVAIL/);
    } finally {
      await metrics.close();
    }
  });
});
