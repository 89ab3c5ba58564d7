/** Sizes of the reference system that every provider starts the same way. */
export interface GenomicsApiOptions {
  /** gunicorn workers x threads bounds the requests in flight, so saturation is reachable. */
  workers: number;
  threads: number;
  /** Synthetic patients seeded into the database. */
  patients: number;
}

export const DEFAULT_API_OPTIONS: GenomicsApiOptions = { workers: 4, threads: 2, patients: 500 };

export interface PostgresOptions {
  /** Small on purpose: exhausting it is the article's incident, and must be cheap to reproduce. */
  maxConnections: number;
}

export const DEFAULT_POSTGRES_OPTIONS: PostgresOptions = { maxConnections: 40 };
