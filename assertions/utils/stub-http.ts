import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type StubHandler = (req: IncomingMessage & { query: URLSearchParams; body: string }, res: ServerResponse) => void;

/**
 * A backend stand-in for unit tests: a real HTTP server on 127.0.0.1 with handlers by path,
 * recording every request, so clients are exercised over real sockets.
 */
export class StubHttpServer {
  readonly requests: { method: string; path: string; query: URLSearchParams; body: string }[] = [];
  private readonly routes = new Map<string, StubHandler>();
  private server: Server | undefined;

  on(path: string, handler: StubHandler): this {
    this.routes.set(path, handler);
    return this;
  }

  /** Answers the path with this JSON (or status) from now on. */
  json(path: string, body: unknown, status = 200): this {
    return this.on(path, (_req, res) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body)));
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const body = Buffer.concat(chunks).toString("utf8");
        const query = req.method === "POST" && /urlencoded/.test(req.headers["content-type"] ?? "") ? new URLSearchParams(body) : url.searchParams;
        this.requests.push({ method: req.method ?? "GET", path: url.pathname, query, body });
        const handler =
          this.routes.get(url.pathname) ?? [...this.routes.entries()].find(([p]) => p.endsWith("*") && url.pathname.startsWith(p.slice(0, -1)))?.[1];
        if (!handler) return void res.writeHead(404).end("no stub for " + url.pathname);
        handler(Object.assign(req, { query, body }), res);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    // Keep-alive sockets from axios would hold close() open.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
