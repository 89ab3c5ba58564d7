import { redact } from "../../core/redact.js";
import pg from "pg";
import { pollUntil } from "./poll.js";

/** PostgreSQL's too_many_connections: both "too many clients" and "remaining connection slots are reserved". */
export const TOO_MANY_CONNECTIONS = "53300";

/** The role the harness holds sessions as: not a superuser, so it takes the same slots as the API. */
export const CHAOS_ROLE = "slo_harness_chaos";

export function applicationNameFor(faultId: string): string {
  return `slo-harness:${faultId}`;
}

function parseUrl(connectionString: string): URL {
  try {
    const url = new URL(connectionString);
    if (url.protocol === "postgresql:" || url.protocol === "postgres:") return url;
  } catch {
    // Reported below with the expected form.
  }
  throw new Error(`expected a postgresql:// URL as the database connection string, got "${redact(connectionString)}"`);
}

/** The same database reached as another role, e.g. the chaos role or the API's. */
export function asRole(connectionString: string, role: string, password?: string): string {
  const url = parseUrl(connectionString);
  url.username = role;
  url.password = password ?? "";
  return url.toString();
}

/** The same database reached through another address, e.g. Toxiproxy's listener. */
export function atAddress(connectionString: string, host: string, port: number): string {
  const url = parseUrl(connectionString);
  url.hostname = host;
  url.port = String(port);
  return url.toString();
}

export function describeTarget(connectionString: string): string {
  const url = parseUrl(connectionString);
  return `${url.hostname}:${url.port || 5432}${url.pathname}`;
}

export async function withClient<T>(connectionString: string, use: (client: pg.Client) => Promise<T>, connectTimeoutMs = 5000): Promise<T> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: connectTimeoutMs, application_name: "slo-harness" });
  // A backend terminated under us must surface as a failed query, not as an uncaught 'error' event.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function sessionPids(adminConnectionString: string, applicationName: string): Promise<number[]> {
  return withClient(adminConnectionString, async (client) => {
    const result = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid", [applicationName]);
    return result.rows.map((r) => r.pid);
  });
}

/**
 * Ends every session carrying the application name and waits until pg_stat_activity shows
 * none; the last word of every connection fault's rollback and of journal recovery.
 */
export async function terminateSessions(adminConnectionString: string, applicationName: string, timeoutMs = 10_000): Promise<number> {
  const terminated = await withClient(adminConnectionString, async (client) => {
    const result = await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()", [
      applicationName,
    ]);
    return result.rowCount ?? 0;
  });
  await pollUntil(
    `no session with application_name '${applicationName}' left in pg_stat_activity`,
    async () => ((await sessionPids(adminConnectionString, applicationName)).length === 0 ? true : undefined),
    timeoutMs,
  );
  return terminated;
}

export interface ConnectionSlots {
  maxConnections: number;
  superuserReserved: number;
  /** max_connections minus the reserved slots: what non-superusers such as the API compete for. */
  ordinary: number;
}

export async function connectionSlots(adminConnectionString: string): Promise<ConnectionSlots> {
  return withClient(adminConnectionString, async (client) => {
    // reserved_connections exists from PostgreSQL 16; absent rows count as 0.
    const result = await client.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('max_connections', 'superuser_reserved_connections', 'reserved_connections')",
    );
    const setting = (name: string) => Number(result.rows.find((r) => r.name === name)?.setting ?? 0);
    const maxConnections = setting("max_connections");
    const superuserReserved = setting("superuser_reserved_connections") + setting("reserved_connections");
    return { maxConnections, superuserReserved, ordinary: maxConnections - superuserReserved };
  });
}

/**
 * Creates the chaos role when absent and gives it a fresh password, so it can log in under
 * trust and password authentication alike. Needs the admin (superuser) connection.
 */
export async function ensureChaosRole(adminConnectionString: string): Promise<string> {
  const password = `slo-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  await withClient(adminConnectionString, async (client) => {
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [CHAOS_ROLE]);
    const verb = exists.rowCount ? "ALTER" : "CREATE";
    await client.query(`${verb} ROLE ${client.escapeIdentifier(CHAOS_ROLE)} LOGIN NOSUPERUSER PASSWORD ${client.escapeLiteral(password)}`);
  });
  return password;
}

/**
 * Drops the chaos role once no session uses it, so it does not outlive the fault as a login that
 * nobody watches; a concurrent fault's sessions keep it until that fault's own rollback.
 */
export async function dropChaosRoleIfIdle(adminConnectionString: string): Promise<string> {
  return withClient(adminConnectionString, async (client) => {
    const busy = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1", [CHAOS_ROLE]);
    const n = busy.rows[0]?.n ?? 0;
    if (n > 0) return `role ${CHAOS_ROLE} kept: ${n} session(s) of another fault still use it`;
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(CHAOS_ROLE)}`);
    return `role ${CHAOS_ROLE} dropped`;
  });
}

/** Tries a connection and a statement on it; the error when either fails, undefined when both went through. */
export async function connectionRefusal(connectionString: string, connectTimeoutMs = 3000, sql = "SELECT 1"): Promise<(Error & { code?: string }) | undefined> {
  try {
    await withClient(connectionString, (client) => client.query(sql), connectTimeoutMs);
    return undefined;
  } catch (err) {
    return err as Error & { code?: string };
  }
}
