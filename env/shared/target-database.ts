import pg from "pg";

/** The API's role and database, created through the superuser's connection to its postgres database. */
export async function createGenomicsDatabase(superuserConnectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString: superuserConnectionString });
  await client.connect();
  try {
    // The API's role is not a superuser, so it competes for ordinary connection slots like a real service.
    await client.query("CREATE ROLE genomics LOGIN");
    await client.query("CREATE DATABASE genomics OWNER genomics");
  } finally {
    await client.end();
  }
}
