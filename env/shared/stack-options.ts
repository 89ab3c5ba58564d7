export interface PostgresOptions {
  /** Small on purpose: exhausting it is the article's incident, and must be cheap to reproduce. */
  maxConnections: number;
}

export const DEFAULT_POSTGRES_OPTIONS: PostgresOptions = { maxConnections: 40 };
