import axios, { type AxiosInstance } from "axios";

/** One axios instance per backend: loopback only, no proxy from the environment, short timeouts. */
export function backendHttp(baseURL: string, timeoutMs = 5000): AxiosInstance {
  return axios.create({ baseURL, timeout: timeoutMs, proxy: false });
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
