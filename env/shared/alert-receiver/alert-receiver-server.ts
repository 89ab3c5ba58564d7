import { appendFileSync, readFileSync, existsSync } from "node:fs";
import { createServer } from "node:http";

/**
 * Alertmanager's webhook receiver, run as its own process so it outlives `slo-harness up`.
 * Each notification is appended to a JSON-lines file with the time it arrived: the moment
 * a human would have been paged. Usage: alert-receiver-server.js PORT NOTIFICATIONS_FILE
 */
// The host is 127.0.0.1 unless a provider whose Alertmanager runs in a container names its network gateway.
const [portArg, file, host = "127.0.0.1"] = process.argv.slice(2);
if (!portArg || !file) {
  console.error("usage: alert-receiver-server.js PORT NOTIFICATIONS_FILE");
  process.exit(2);
}

const server = createServer((req, res) => {
  if (req.method === "POST" && req.url === "/alerts") {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const receivedAt = new Date().toISOString();
      try {
        const payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        appendFileSync(file, `${JSON.stringify({ receivedAt, payload })}\n`);
        res.writeHead(200).end();
      } catch (err) {
        console.error(`${receivedAt} rejected a notification that is not JSON: ${(err as Error).message}`);
        res.writeHead(400).end();
      }
    });
    return;
  }
  if (req.method === "GET" && req.url === "/notifications") {
    const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
    res.writeHead(200, { "content-type": "application/json" }).end(`[${lines.join(",")}]`);
    return;
  }
  if (req.method === "GET" && req.url === "/-/ready") {
    res.writeHead(200).end("ready");
    return;
  }
  res.writeHead(404).end();
});

server.listen(Number(portArg), host, () => console.log(`alert receiver listening on ${host}:${portArg}, writing ${file}`));
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => server.close(() => process.exit(0)));
