import pg from "pg";

/** The API's role and database, created through the superuser on 127.0.0.1:port. */
export async function createGenomicsDatabase(port: number): Promise<void> {
  const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
  await client.connect();
  try {
    // The API's role is not a superuser, so it competes for ordinary connection slots like a real service.
    await client.query("CREATE ROLE genomics LOGIN");
    await client.query("CREATE DATABASE genomics OWNER genomics");
  } finally {
    await client.end();
  }
}
