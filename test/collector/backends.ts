import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import path from "node:path";
import { cachedTool } from "../../core/tool-binaries.js";
import { startProcess, stopProcess, type RunningProcess } from "../../env/shared/managed-process.js";
import { httpReady, waitReady } from "../../env/shared/wait-ready.js";

/**
 * Stand-ins for Jaeger and the log store: a second otelcol-slo that takes OTLP (gRPC for traces,
 * HTTP on the log store's path for logs) and prints every item it gets in full to its log, so a
 * test reads what the collector under test delivered after its processors ran.
 */
export class OtlpSink {
  private constructor(
    private readonly proc: RunningProcess,
    readonly logFile: string,
  ) {}

  static async start(dir: string, ports: { grpc: number; http: number; health: number }): Promise<OtlpSink> {
    const config = path.join(dir, "sink.yaml");
    writeFileSync(
      config,
      [
        `extensions: { health_check: { endpoint: "127.0.0.1:${ports.health}" } }`,
        "receivers:",
        "  otlp:",
        "    protocols:",
        `      grpc: { endpoint: "127.0.0.1:${ports.grpc}" }`,
        `      http: { endpoint: "127.0.0.1:${ports.http}", logs_url_path: /insert/opentelemetry/v1/logs }`,
        "exporters: { debug: { verbosity: detailed } }",
        "service:",
        "  extensions: [health_check]",
        "  telemetry: { metrics: { level: none } }",
        "  pipelines:",
        "    traces: { receivers: [otlp], exporters: [debug] }",
        "    logs: { receivers: [otlp], exporters: [debug] }",
        "",
      ].join("\n"),
    );
    const logFile = path.join(dir, "sink.log");
    const proc = startProcess({ name: "otlp-sink", command: cachedTool("otelcol-slo"), args: [`--config=${config}`], logFile });
    await waitReady(proc, httpReady(`http://127.0.0.1:${ports.health}/`));
    return new OtlpSink(proc, logFile);
  }

  output(): string {
    return readFileSync(this.logFile, "utf8");
  }

  async stop(): Promise<void> {
    await stopProcess(this.proc.record);
  }
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bytes: number;
}

/** A Prometheus remote-write endpoint that records what reaches it and answers 204, as Prometheus does. */
export class RemoteWriteRecorder {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      let bytes = 0;
      req.on("data", (chunk: Buffer) => (bytes += chunk.length));
      req.on("end", () => {
        this.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, bytes });
        res.writeHead(204).end();
      });
    });
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => resolve());
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
