import axios from "axios";

/**
 * A query the backend will never answer, whatever the retries: bad PromQL, a malformed
 * LogsQL, a probe misconfigured for its backend. The runner stops polling on it.
 */
export class QueryError extends Error {
  override readonly name = "QueryError";
}

/** A 4xx other than timeouts and rate limits means the request itself is wrong. */
export function isPermanentError(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof QueryError) return true;
    if (axios.isAxiosError(e)) {
      const status = e.response?.status;
      return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
    }
  }
  return false;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
