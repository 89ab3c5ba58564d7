import { withClient } from "./pg-sessions.js";
import { median } from "./poll.js";

/**
 * Median time of `SELECT 1` on one open connection: a real TCP round trip through whatever
 * sits in between, without the connection set-up that a toxic would slow several times over.
 */
export async function selectOneMs(connectionString: string, samples = 10, connectTimeoutMs = 10_000): Promise<number> {
  return withClient(
    connectionString,
    async (client) => {
      await client.query("SELECT 1");
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
        const started = performance.now();
        await client.query("SELECT 1");
        times.push(performance.now() - started);
      }
      return median(times);
    },
    connectTimeoutMs,
  );
}

/** KB/s (1024 bytes) moved by one query: a generated result (downstream) or a parameter (upstream). */
export async function throughputKBps(connectionString: string, direction: "downstream" | "upstream", bytes: number): Promise<number> {
  return withClient(
    connectionString,
    async (client) => {
      await client.query("SELECT 1");
      const started = performance.now();
      if (direction === "downstream") await client.query("SELECT repeat('x', $1)", [bytes]);
      else await client.query("SELECT length($1::text)", ["x".repeat(bytes)]);
      return bytes / 1024 / ((performance.now() - started) / 1000);
    },
    10_000,
  );
}
