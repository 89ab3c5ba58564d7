import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import axios from "axios";
import YAML from "yaml";
import { cachedTool } from "../../core/tool-binaries.js";
import { freePorts } from "../../env/shared/free-port.js";
import { startProcess, stopProcess, type RunningProcess } from "../../env/shared/managed-process.js";
import { httpReady, waitReady } from "../../env/shared/wait-ready.js";
import { eventually } from "../eventually.js";
import { OtlpSink, RemoteWriteRecorder } from "./backends.js";
import { teamCollectorConfig as fixture } from "./team-collector.js";

const PORTS = ["health", "otlpGrpc", "otlpHttp", "prometheus", "telemetry", "sinkGrpc", "sinkHttp", "sinkHealth", "remoteWrite", "kubelet", "kubeApi"] as const;

describe("otelcol-slo started with a team's own collector config, on loopback without a cluster", () => {
  let ports: Record<(typeof PORTS)[number], number>;
  const remoteWrite = new RemoteWriteRecorder();
  let sink: OtlpSink | undefined;
  let collector: RunningProcess | undefined;

  beforeAll(async () => {
    ports = await freePorts(PORTS);
    const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-team-collector-"));
    await remoteWrite.listen(ports.remoteWrite);
    sink = await OtlpSink.start(dir, { grpc: ports.sinkGrpc, http: ports.sinkHttp, health: ports.sinkHealth });
    // Nothing listens on the kubelet's and the API server's ports: k8sattributes and kubeletstats
    // start, and log that they cannot reach them, as on a node whose kubelet is down.
    const kubeconfig = path.join(dir, "kubeconfig");
    writeFileSync(
      kubeconfig,
      YAML.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "none", cluster: { server: `https://127.0.0.1:${ports.kubeApi}`, "insecure-skip-tls-verify": true } }],
        users: [{ name: "none", user: { token: "unused" } }],
        contexts: [{ name: "none", context: { cluster: "none", user: "none" } }],
        "current-context": "none",
      }),
    );
    collector = startProcess({
      name: "team-collector",
      command: cachedTool("otelcol-slo"),
      args: [`--config=${fixture}`],
      logFile: path.join(dir, "team-collector.log"),
      env: {
        COLLECTOR_HEALTH_PORT: String(ports.health),
        COLLECTOR_OTLP_GRPC_PORT: String(ports.otlpGrpc),
        COLLECTOR_OTLP_HTTP_PORT: String(ports.otlpHttp),
        COLLECTOR_PROMETHEUS_PORT: String(ports.prometheus),
        COLLECTOR_TELEMETRY_PORT: String(ports.telemetry),
        JAEGER_OTLP_GRPC_PORT: String(ports.sinkGrpc),
        LOGS_OTLP_PORT: String(ports.sinkHttp),
        PROMETHEUS_PORT: String(ports.remoteWrite),
        HOST_METRICS_INTERVAL: "2s",
        TAIL_SAMPLING_DECISION_WAIT: "1s",
        DEPLOYMENT_ENVIRONMENT: "ci",
        K8S_NODE_NAME: "127.0.0.1",
        KUBELET_AUTH_TYPE: "none",
        KUBELET_PORT: String(ports.kubelet),
        K8S_AUTH_TYPE: "kubeConfig",
        KUBECONFIG: kubeconfig,
      },
    });
    await waitReady(collector, httpReady(`http://127.0.0.1:${ports.health}/`));
  }, 60_000);

  afterAll(async () => {
    if (collector) await stopProcess(collector.record);
    await sink?.stop();
    await remoteWrite.close();
  });

  const post = (signal: string, body: unknown) => axios.post(`http://127.0.0.1:${ports.otlpHttp}/v1/${signal}`, body, { proxy: false });
  const resource = { attributes: [{ key: "service.name", value: { stringValue: "genomics-api" } }] };
  const traceId = "5b8efff798038103d269b633813fc60c";
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

  it("should pass a failed request's span through every trace processor to the trace backend", async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = (spanId: string, name: string, attributes: unknown[], status: number) => ({
      traceId,
      spanId,
      name,
      kind: 2,
      startTimeUnixNano: String(now),
      endTimeUnixNano: String(now + 20_000_000n),
      attributes,
      status: { code: status },
    });
    await post("traces", {
      resourceSpans: [
        {
          resource,
          scopeSpans: [
            {
              spans: [
                span(
                  "eee19b7ec3c1b174",
                  "GET /variants/12345",
                  [str("url.path", "/variants/12345"), str("enduser.id", "alice"), str("http.request.header.authorization", "Bearer s3cr3t")],
                  2,
                ),
                span("eee19b7ec3c1b175", "GET /health", [str("url.path", "/health")], 1),
              ],
            },
          ],
        },
      ],
    });
    const delivered = await eventually(async () => {
      const out = sink!.output();
      expect(out).toMatch(/Name\s*: GET \/variants\/\{id\}/);
      return out;
    }, 30_000);
    expect(delivered).toContain("team: Str(genomics)");
    expect(delivered).toContain("deployment.environment.name: Str(ci)");
    expect(delivered).toMatch(/host\.name: Str\(.+\)/);
    expect(delivered).toMatch(/enduser\.id: Str\([0-9a-f]{40,}\)/);
    expect(delivered).not.toContain("s3cr3t");
    expect(delivered).not.toContain("GET /health");
  });

  it("should pass an error log marked for keeping to the log store, and drop a debug log", async () => {
    const now = String(BigInt(Date.now()) * 1_000_000n);
    const record = (body: string, severityNumber: number, attributes: unknown[]) => ({
      timeUnixNano: now,
      severityNumber,
      body: { stringValue: body },
      traceId,
      attributes,
    });
    await post("logs", {
      resourceLogs: [
        {
          resource,
          scopeLogs: [
            { logRecords: [record("variant import failed", 17, [{ key: "sampling.priority", value: { intValue: "100" } }]), record("cache miss", 5, [])] },
          ],
        },
      ],
    });
    const delivered = await eventually(async () => {
      const out = sink!.output();
      expect(out).toContain("Body: Str(variant import failed)");
      return out;
    }, 30_000);
    expect(delivered).toContain("SeverityText: ERROR");
    expect(delivered).not.toContain("cache miss");
  });

  it("should expose an application metric and the host's own to Prometheus, and remote-write them", async () => {
    await post("metrics", {
      resourceMetrics: [
        {
          resource,
          scopeMetrics: [
            { metrics: [{ name: "genomics_queue_depth", gauge: { dataPoints: [{ asInt: "7", timeUnixNano: String(BigInt(Date.now()) * 1_000_000n) }] } }] },
          ],
        },
      ],
    });
    const scrape = await eventually(async () => {
      const { data } = await axios.get<string>(`http://127.0.0.1:${ports.prometheus}/metrics`, { proxy: false, responseType: "text" });
      expect(data).toMatch(/^genomics_queue_depth\{[^}]*team="genomics"[^}]*\} 7$/m);
      expect(data).toMatch(/^system_memory_usage_bytes\{/m);
      return data;
    }, 30_000);
    expect(scrape).toMatch(/deployment_environment_name="ci"/);
    await eventually(
      async () => expect(remoteWrite.requests.some((r) => r.url === "/api/v1/write" && r.headers["content-encoding"] === "snappy" && r.bytes > 0)).toBe(true),
      30_000,
    );
    expect(collector!.exited()).toBeUndefined();
  });
});
