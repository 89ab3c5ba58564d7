import { Agent } from "node:https";
import axios, { type AxiosInstance } from "axios";
import type { BackendAccess } from "../../core/backend-auth.js";

/**
 * One axios instance per backend: no proxy from the environment, short timeouts, and the
 * backend's own auth when it has any (headers such as Authorization or a tenant, a private CA,
 * a client certificate).
 */
export function backendHttp(baseURL: string, timeoutMs = 5000, access?: BackendAccess): AxiosInstance {
  if (!access) return axios.create({ baseURL, timeout: timeoutMs, proxy: false });
  const tls = access.ca || access.cert || !access.rejectUnauthorized;
  return axios.create({
    baseURL,
    timeout: timeoutMs,
    proxy: false,
    headers: access.headers,
    ...(tls
      ? {
          httpsAgent: new Agent({
            keepAlive: true,
            rejectUnauthorized: access.rejectUnauthorized,
            ...(access.ca ? { ca: access.ca } : {}),
            ...(access.cert ? { cert: access.cert } : {}),
            ...(access.key ? { key: access.key } : {}),
          }),
        }
      : {}),
  });
}

/** Turns an axios failure into a message that names the backend, the request and what came back. */
export function describeHttpError(backend: string, err: unknown): Error {
  if (axios.isAxiosError(err)) {
    const where = `${err.config?.method?.toUpperCase() ?? "GET"} ${err.config?.baseURL ?? ""}${err.config?.url ?? ""}`;
    const body = err.response ? `: HTTP ${err.response.status} ${JSON.stringify(err.response.data).slice(0, 300)}` : `: ${err.code ?? err.message}`;
    return new Error(`${backend} ${where}${body}`, { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}
