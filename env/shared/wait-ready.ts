import axios from "axios";
import pg from "pg";
import { logTail, type RunningProcess } from "./managed-process.js";

export interface ReadyCheck {
  /** Resolves true when the component answers as ready. */
  probe: () => Promise<boolean>;
  description: string;
}

export function httpReady(url: string, accept: (status: number, body: string) => boolean = (s) => s === 200): ReadyCheck {
  return {
    description: `GET ${url}`,
    probe: async () => {
      const response = await axios.get<string>(url, { timeout: 1000, validateStatus: () => true, responseType: "text", proxy: false });
      return accept(response.status, String(response.data));
    },
  };
}

export function postgresReady(connectionString: string): ReadyCheck {
  return {
    description: `a connection to ${connectionString}`,
    probe: async () => {
      const client = new pg.Client({ connectionString, connectionTimeoutMillis: 1000 });
      try {
        await client.connect();
        await client.query("SELECT 1");
        return true;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}

/** The check for a readiness URL as recorded in the state file: HTTP health endpoints or a database. */
export function readyCheckFor(url: string): ReadyCheck {
  return url.startsWith("postgresql://") ? postgresReady(url) : httpReady(url);
}

/**
 * Polls a component's own health endpoint until it answers, failing fast with the
 * component's name and the tail of its log when the process exits or the time runs out.
 */
export async function waitReady(proc: RunningProcess, check: ReadyCheck, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  let lastError = "no answer yet";
  for (;;) {
    const exit = proc.exited();
    if (exit) {
      throw new Error(
        `${proc.record.name} exited (code ${exit.code ?? "none"}, signal ${exit.signal ?? "none"}) before it was ready; last lines of ${proc.record.logFile}:\n${logTail(proc.record.logFile)}`,
      );
    }
    try {
      if (await check.probe()) return Date.now() - started;
      lastError = "answered, but not ready";
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `${proc.record.name} was not ready after ${timeoutMs / 1000}s waiting for ${check.description} (${lastError}); last lines of ${proc.record.logFile}:\n${logTail(proc.record.logFile)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
