import { rmSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import axios from "axios";
import { execa, type ResultPromise } from "execa";

/**
 * Debian's Prometheus on 127.0.0.1:port with `dir/prometheus.yml`, storing in `dir/data`, once it
 * answers /-/ready: the tests that need a real rule evaluator start it this one way.
 */
export async function startRealPrometheus(dir: string, port: number): Promise<{ process: ResultPromise }> {
  const url = `http://127.0.0.1:${port}`;
  const prometheus = execa(
    "/usr/bin/prometheus",
    [`--config.file=${path.join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`],
    { reject: false, all: true },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await axios.get(`${url}/-/ready`, { proxy: false, timeout: 1000, validateStatus: () => true }).catch(() => undefined);
    // Wrapped: the subprocess is a thenable, and returning it bare would wait for it to exit.
    if (ready?.status === 200) return { process: prometheus };
    if (Date.now() > deadline) throw new Error(`Prometheus on ${url} not ready within 30s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Stops what such a test started: Prometheus (waited for), the target it scraped, and its folder. */
export async function stopRealPrometheus(prometheus: ResultPromise | undefined, scraped: Server | undefined, dir: string | undefined): Promise<void> {
  if (prometheus) {
    prometheus.kill("SIGTERM");
    await prometheus;
  }
  await new Promise((resolve) => scraped?.close(resolve) ?? resolve(undefined));
  if (dir) rmSync(dir, { recursive: true, force: true });
}
