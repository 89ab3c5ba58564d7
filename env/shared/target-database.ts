import pg from "pg";

/** The target's role and database, created through the superuser's connection to its postgres database. */
export async function createTargetDatabase(superuserConnectionString: string, db: { database: string; role: string }): Promise<void> {
  const client = new pg.Client({ connectionString: superuserConnectionString });
  await client.connect();
  try {
    // Not a superuser, so the service competes for ordinary connection slots as it does in production.
    await client.query(`CREATE ROLE ${pg.escapeIdentifier(db.role)} LOGIN`);
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(db.database)} OWNER ${pg.escapeIdentifier(db.role)}`);
  } finally {
    await client.end();
  }
}

/** libpq's variables and DATABASE_URL, as most drivers and frameworks read them. */
export function databaseEnvironment(host: string, port: number, db: { database: string; role: string }): Record<string, string> {
  return {
    PGHOST: host,
    PGPORT: String(port),
    PGUSER: db.role,
    PGDATABASE: db.database,
    DATABASE_URL: `postgresql://${encodeURIComponent(db.role)}@${host}:${port}/${encodeURIComponent(db.database)}`,
  };
}
