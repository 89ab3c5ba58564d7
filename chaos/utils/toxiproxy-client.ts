import axios, { type AxiosInstance } from "axios";

export interface ToxiproxyProxy {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

export interface Toxic {
  name: string;
  type: "latency" | "timeout" | "reset_peer" | "bandwidth";
  stream: "downstream" | "upstream";
  toxicity: number;
  attributes: Record<string, number>;
}

/** Toxiproxy's HTTP API (https://github.com/Shopify/toxiproxy#http-api), the few calls faults need. */
export class ToxiproxyClient {
  private readonly http: AxiosInstance;

  constructor(readonly apiUrl: string) {
    // proxy: false, so an HTTP(S)_PROXY in the environment never diverts calls meant for 127.0.0.1.
    this.http = axios.create({ baseURL: apiUrl, timeout: 5000, proxy: false, validateStatus: () => true });
  }

  async getProxy(name: string): Promise<ToxiproxyProxy> {
    const response = await this.call("GET", `/proxies/${encodeURIComponent(name)}`);
    if (response.status === 404) {
      const all = await this.call("GET", "/proxies");
      throw new Error(
        `Toxiproxy at ${this.apiUrl} has no proxy "${name}"; it has ${
          Object.keys(all.data as object)
            .map((p) => `"${p}"`)
            .join(", ") || "none"
        }`,
      );
    }
    return this.expect<ToxiproxyProxy>(response, 200, `reading proxy "${name}"`);
  }

  async listToxics(proxy: string): Promise<Toxic[]> {
    return this.expect<Toxic[]>(await this.call("GET", `/proxies/${encodeURIComponent(proxy)}/toxics`), 200, `listing the toxics of proxy "${proxy}"`);
  }

  async addToxic(proxy: string, toxic: Toxic): Promise<Toxic> {
    const response = await this.call("POST", `/proxies/${encodeURIComponent(proxy)}/toxics`, toxic);
    if (response.status === 409) {
      throw new Error(
        `proxy "${proxy}" already has a toxic named "${toxic.name}", left by an earlier run; recover the journal of that run (or delete it: DELETE ${this.apiUrl}/proxies/${proxy}/toxics/${toxic.name})`,
      );
    }
    return this.expect<Toxic>(response, 200, `adding toxic "${toxic.name}" to proxy "${proxy}"`);
  }

  /** False when there was no such toxic, which is what a repeated rollback finds. */
  async deleteToxic(proxy: string, name: string): Promise<boolean> {
    const response = await this.call("DELETE", `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(name)}`);
    if (response.status === 404) return false;
    this.expect(response, 204, `deleting toxic "${name}" of proxy "${proxy}"`);
    return true;
  }

  private async call(method: "GET" | "POST" | "DELETE", url: string, data?: unknown) {
    try {
      return await this.http.request({ method, url, data });
    } catch (err) {
      throw new Error(`Toxiproxy at ${this.apiUrl} did not answer ${method} ${url}: ${(err as Error).message}`, { cause: err });
    }
  }

  private expect<T>(response: { status: number; data: unknown }, status: number, what: string): T {
    if (response.status !== status) throw new Error(`Toxiproxy at ${this.apiUrl}: ${what} answered HTTP ${response.status}: ${JSON.stringify(response.data)}`);
    return response.data as T;
  }
}

/** Toxiproxy's "host:port" listen address as something to connect to; wildcard hosts mean this machine. */
export function listenAddress(proxy: ToxiproxyProxy): { host: string; port: number } {
  const at = proxy.listen.lastIndexOf(":");
  const host = proxy.listen.slice(0, at).replace(/^\[|\]$/g, "");
  return { host: ["", "0.0.0.0", "::"].includes(host) ? "127.0.0.1" : host, port: Number(proxy.listen.slice(at + 1)) };
}
