import pg from "pg";
import { withClient } from "./pg-sessions.js";

/** lock_not_available: a statement gave up waiting at lock_timeout. */
const LOCK_NOT_AVAILABLE = "55P03";

/**
 * One session in an open transaction holding ACCESS EXCLUSIVE on a table: every reader of the
 * table queues behind it, so the API's requests pile up and the DB span dominates their traces.
 */
export class TableLock {
  private client: pg.Client | undefined;

  constructor(
    private readonly adminConnectionString: string,
    private readonly applicationName: string,
    readonly table: string,
  ) {}

  async acquire(lockTimeoutMs = 10_000): Promise<void> {
    const client = new pg.Client({ connectionString: this.adminConnectionString, application_name: this.applicationName, connectionTimeoutMillis: 5000 });
    client.on("error", () => undefined);
    this.client = client;
    await client.connect();
    // Behind a long-running reader the LOCK itself would queue; bounded, so inject() cannot hang.
    await client.query(`SET lock_timeout = ${Math.round(lockTimeoutMs)}`);
    await client.query("BEGIN");
    await client.query(`LOCK TABLE ${this.quotedTable(client)} IN ACCESS EXCLUSIVE MODE`);
  }

  /** pg_locks as the admin sees it: the lock held by our session and granted. */
  async grantedTo(): Promise<{ pid: number; granted: boolean } | undefined> {
    return withClient(this.adminConnectionString, async (client) => {
      const result = await client.query<{ pid: number; granted: boolean }>(
        `SELECT l.pid, l.granted FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE a.application_name = $1 AND l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'
            AND l.relation = to_regclass($2)`,
        [this.applicationName, this.table],
      );
      return result.rows[0];
    });
  }

  /** Ends the transaction; the caller still terminates leftovers by application name. */
  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  private quotedTable(client: pg.Client): string {
    return this.table
      .split(".")
      .map((part) => client.escapeIdentifier(part))
      .join(".");
  }
}

/**
 * A read of the table as the API's role, given `waitMs` to get its lock: the error when it
 * was blocked (lock_timeout), undefined and the time taken when it went through.
 */
export async function probeRead(connectionString: string, table: string, waitMs: number): Promise<{ blocked?: string; tookMs: number }> {
  const started = Date.now();
  try {
    await withClient(connectionString, async (client) => {
      await client.query(`SET lock_timeout = ${Math.round(waitMs)}`);
      const quoted = table
        .split(".")
        .map((part) => client.escapeIdentifier(part))
        .join(".");
      await client.query(`SELECT 1 FROM ${quoted} LIMIT 1`);
    });
    return { tookMs: Date.now() - started };
  } catch (err) {
    if ((err as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw err;
    return { blocked: (err as Error).message, tookMs: Date.now() - started };
  }
}

export async function tableExists(adminConnectionString: string, table: string): Promise<boolean> {
  return withClient(adminConnectionString, async (client) => (await client.query("SELECT to_regclass($1) AS oid", [table])).rows[0]?.oid !== null);
}
