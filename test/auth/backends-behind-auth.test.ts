import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { Agent, createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import axios from "axios";
import bcrypt from "bcryptjs";
import { stringify } from "yaml";
import { runExpectation } from "../../assertions/index.js";
import { resolveBackendAccess, type BackendAccess } from "../../core/backend-auth.js";
import type { Endpoints } from "../../core/environment.js";
import { stackConfigPath } from "../../core/paths.js";
import { Timeline } from "../../core/timeline.js";
import { cachedTool, systemTool } from "../../core/tool-binaries.js";
import { startAlertReceiverAt } from "../../env/shared/alert-receiver/start-alert-receiver.js";
import { freePorts } from "../../env/shared/free-port.js";
import { startProcess, stopProcess, type RunningProcess } from "../../env/shared/managed-process.js";
import { waitReady, type ReadyCheck } from "../../env/shared/wait-ready.js";
import { runCli } from "../cli.js";
import { planExpectation } from "../expectations.js";
import { startControlPlane } from "../kube/control-plane.js";
import { writePki, type Pki } from "../kube/pki.js";

/**
 * The probes against real backends that refuse anyone without credentials: Prometheus and
 * Alertmanager with their own --web.config.file (TLS from a private CA, basic auth), VictoriaLogs
 * with -httpAuth and -tls, and Jaeger behind an HTTPS proxy that wants a bearer token, a tenant
 * header and a client certificate (mutual TLS). Each probe passes with the credentials given the
 * way an operator gives them (env: and file: references), and the same probe without them is
 * refused by the backend, so the pass is the credentials' doing.
 */
describe("probes against backends behind auth", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "slo-harness-auth-"));
  const processes: RunningProcess[] = [];
  const password = randomBytes(12).toString("hex");
  const token = randomBytes(16).toString("hex");
  const env = { SLO_TEST_PROM_PASSWORD: password, SLO_TEST_JAEGER_TOKEN: token };
  let pki: Pki;
  let proxy: Server;
  let endpoints: Endpoints;
  let access: Record<"prometheus" | "alertmanager" | "jaeger" | "logs", BackendAccess>;
  const timeline = new Timeline();
  let startedAt: Date;
  let otlpPort: number;
  const marker = `auth-check-${randomBytes(6).toString("hex")}`;

  /** The signals, sent straight to the backends: a span over OTLP, a log line with credentials. */
  async function sendSignals(): Promise<void> {
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    await axios.post(
      `http://127.0.0.1:${otlpPort}/v1/traces`,
      {
        resourceSpans: [
          {
            resource: { attributes: [{ key: "service.name", value: { stringValue: "auth-check" } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: randomBytes(16).toString("hex"),
                    spanId: randomBytes(8).toString("hex"),
                    name: "GET /auth-check",
                    kind: 2,
                    startTimeUnixNano: String(nowNs),
                    endTimeUnixNano: String(nowNs + 5_000_000n),
                  },
                ],
              },
            ],
          },
        ],
      },
      { proxy: false },
    );
    // Not form-encoded (axios's default for a string): VictoriaLogs would read the body as a form and store nothing.
    const ingested = await client(`${endpoints.logs}/insert/jsonline?_stream_fields=service_name`, access.logs).post(
      "",
      `${JSON.stringify({ _msg: `${marker} logged`, _time: new Date().toISOString(), service_name: "auth-check" })}\n`,
      { headers: { "Content-Type": "application/stream+json" } },
    );
    expect(ingested.status).toBe(200);
  }

  const start = async (name: string, command: string, args: string[], check: ReadyCheck, extraEnv: Record<string, string> = {}) => {
    const proc = startProcess({ name, command, args, env: extraEnv, logFile: path.join(dir, "logs", `${name}.log`), stopGraceMs: 1000 });
    processes.push(proc);
    await waitReady(proc, check, 30_000);
  };
  /** Ready means answering with the right credentials: a 401 would also say "listening". */
  const readyWith = (url: string, a: BackendAccess): ReadyCheck => ({
    description: `GET ${url} with credentials`,
    probe: async () => (await client(url, a).get("")).status === 200,
  });

  beforeAll(async () => {
    mkdirSync(path.join(dir, "logs"));
    pki = await writePki(dir);
    const ports = await freePorts(["prometheus", "alertmanager", "receiver", "logs", "jaegerQuery", "jaegerOtlpHttp", "jaegerOther", "proxy"] as const);
    // Cost 4, the least bcrypt takes: each request is checked, and the strength of a test password is not the point.
    const webConfig = path.join(dir, "web.yml");
    writeFileSync(
      webConfig,
      stringify({ tls_server_config: { cert_file: pki.servingCert, key_file: pki.servingKey }, basic_auth_users: { slo: bcrypt.hashSync(password, 4) } }),
    );
    const passwordFile = path.join(dir, "prometheus-password");
    writeFileSync(passwordFile, password, { mode: 0o600 });
    const httpsAuth = { scheme: "https", basic_auth: { username: "slo", password_file: passwordFile }, tls_config: { ca_file: pki.caCert } };

    access = {
      prometheus: resolveBackendAccess({ basic: { username: "slo", password: "env:SLO_TEST_PROM_PASSWORD" }, ca: pki.caCert }, "auth.prometheus", env),
      alertmanager: resolveBackendAccess({ basic: { username: "slo", password: `file:${passwordFile}` }, ca: pki.caCert }, "auth.alertmanager", env),
      logs: resolveBackendAccess({ basic: { username: "slo", password: "env:SLO_TEST_PROM_PASSWORD" }, ca: pki.caCert }, "auth.logs", env),
      jaeger: resolveBackendAccess(
        { bearerToken: "env:SLO_TEST_JAEGER_TOKEN", headers: { "X-Scope-OrgID": "genomics" }, ca: pki.caCert, cert: pki.adminCert, key: pki.adminKey },
        "auth.jaeger",
        env,
      ),
    };

    const receiver = await startAlertReceiverAt({ runDir: dir, host: "127.0.0.1", port: ports.receiver, track: (p) => processes.push(p) });
    const amConfig = path.join(dir, "alertmanager.yml");
    writeFileSync(
      amConfig,
      stringify({
        route: { receiver: "harness", group_wait: "1s", group_interval: "1s", repeat_interval: "1h" },
        receivers: [{ name: "harness", webhook_configs: [{ url: `${receiver.url}/alerts`, send_resolved: false }] }],
      }),
    );
    await start(
      "alertmanager",
      systemTool("/usr/bin/prometheus-alertmanager", "prometheus-alertmanager"),
      [
        `--config.file=${amConfig}`,
        `--storage.path=${path.join(dir, "alertmanager")}`,
        `--web.listen-address=127.0.0.1:${ports.alertmanager}`,
        `--web.config.file=${webConfig}`,
        "--cluster.listen-address=",
      ],
      readyWith(`https://127.0.0.1:${ports.alertmanager}/-/ready`, access.alertmanager),
    );

    const rules = path.join(dir, "rules.yml");
    writeFileSync(
      rules,
      stringify({
        groups: [{ name: "auth", rules: [{ alert: "AuthCheckPage", expr: "vector(1)", labels: { severity: "page" }, annotations: { summary: "always" } }] }],
      }),
    );
    const promConfig = path.join(dir, "prometheus.yml");
    writeFileSync(
      promConfig,
      stringify({
        global: { scrape_interval: "1s", evaluation_interval: "1s" },
        rule_files: [rules],
        alerting: { alertmanagers: [{ ...httpsAuth, static_configs: [{ targets: [`127.0.0.1:${ports.alertmanager}`] }] }] },
        scrape_configs: [{ job_name: "prometheus", ...httpsAuth, static_configs: [{ targets: [`127.0.0.1:${ports.prometheus}`] }] }],
      }),
    );
    // The run starts with Prometheus: the page it sends must arrive after the anchor to count.
    startedAt = new Date();
    await start(
      "prometheus",
      systemTool("/usr/bin/prometheus", "prometheus"),
      [
        `--config.file=${promConfig}`,
        `--storage.tsdb.path=${path.join(dir, "prometheus")}`,
        `--web.listen-address=127.0.0.1:${ports.prometheus}`,
        `--web.config.file=${webConfig}`,
        // Alerts that fire before Prometheus has found Alertmanager are dropped and otherwise resent only after a minute.
        "--rules.alert.resend-delay=2s",
      ],
      readyWith(`https://127.0.0.1:${ports.prometheus}/-/ready`, access.prometheus),
    );

    await start(
      "victoria-logs",
      cachedTool("victoria-logs"),
      [
        `-storageDataPath=${path.join(dir, "victoria-logs")}`,
        `-httpListenAddr=127.0.0.1:${ports.logs}`,
        "-httpAuth.username=slo",
        `-httpAuth.password=${password}`,
        "-tls",
        `-tlsCertFile=${pki.servingCert}`,
        `-tlsKeyFile=${pki.servingKey}`,
      ],
      readyWith(`https://127.0.0.1:${ports.logs}/select/logsql/stream_field_names?query=*`, access.logs),
    );

    const jaegerConfig = path.join(dir, "jaeger.yaml");
    writeFileSync(jaegerConfig, readFileSync(stackConfigPath("jaeger.yaml")));
    const otherPorts = await freePorts(["grpc", "queryGrpc", "health"] as const);
    await start(
      "jaeger",
      cachedTool("jaeger"),
      [`--config=${jaegerConfig}`],
      {
        description: "Jaeger's query API",
        probe: async () => (await axios.get(`http://127.0.0.1:${ports.jaegerQuery}/api/services`, { proxy: false })).status === 200,
      },
      {
        JAEGER_OTLP_GRPC_PORT: String(otherPorts.grpc),
        JAEGER_OTLP_HTTP_PORT: String(ports.jaegerOtlpHttp),
        JAEGER_QUERY_PORT: String(ports.jaegerQuery),
        JAEGER_QUERY_GRPC_PORT: String(otherPorts.queryGrpc),
        JAEGER_HEALTH_PORT: String(otherPorts.health),
        JAEGER_METRICS_PORT: String(ports.jaegerOther),
      },
    );
    otlpPort = ports.jaegerOtlpHttp;
    proxy = await authProxy(ports.proxy, ports.jaegerQuery, pki, token);

    endpoints = {
      api: "http://127.0.0.1:1",
      prometheus: `https://127.0.0.1:${ports.prometheus}`,
      alertmanager: `https://127.0.0.1:${ports.alertmanager}`,
      jaeger: `https://127.0.0.1:${ports.proxy}`,
      logs: `https://127.0.0.1:${ports.logs}`,
      logsBackend: "victorialogs",
      collector: "",
      postgres: "",
      alertReceiver: receiver.url,
      access,
      runDir: dir,
    };

    await sendSignals();
  }, 120_000);

  afterAll(async () => {
    proxy?.close();
    await Promise.all(processes.map((p) => stopProcess(p.record)));
    rmSync(dir, { recursive: true, force: true });
  });

  const expect_ = (raw: Record<string, unknown>, at: Endpoints) =>
    runExpectation(planExpectation({ within: "45s of run-start", ...raw }, at, startedAt), { endpoints: at, timeline, pollIntervalMs: 500, origin: startedAt });
  const without = (backend: keyof typeof access): Endpoints => ({ ...endpoints, access: { ...access, [backend]: undefined } });

  it("should see each signal through its backend's auth: metric, page, log line and trace", async () => {
    const results = await Promise.all([
      // Prometheus behind TLS from a private CA and basic auth.
      expect_({ id: "scraped-over-tls", metric: 'up{job="prometheus"} == 1' }, endpoints),
      // The page from Prometheus through Alertmanager, both behind TLS and basic auth.
      expect_({ id: "paged", alert: { name: "AuthCheckPage", state: "notified" } }, endpoints),
      // VictoriaLogs behind -httpAuth and -tls.
      expect_({ id: "logged", log: `"${marker}"` }, endpoints),
      // Jaeger behind a proxy that wants a bearer token, a tenant and a client certificate.
      expect_({ id: "traced", trace: { service: "auth-check" } }, endpoints),
    ]);
    expect(results.map((r) => [r.id, r.verdict, r.verdict === "pass" ? "" : JSON.stringify(r.evidence)])).toEqual([
      ["scraped-over-tls", "pass", ""],
      ["paged", "pass", ""],
      ["logged", "pass", ""],
      ["traced", "pass", ""],
    ]);
  });

  it("should be refused by every backend without its credentials, and say so rather than pass or call it blindness", async () => {
    const denied = await Promise.all([
      expect_({ id: "m", metric: 'up{job="prometheus"} == 1', within: "3s of run-start" }, without("prometheus")),
      expect_({ id: "l", log: `"${marker}"`, within: "3s of run-start" }, without("logs")),
      expect_({ id: "t", trace: { service: "auth-check" }, within: "3s of run-start" }, without("jaeger")),
    ]);
    for (const result of denied) {
      expect(result.verdict).not.toBe("pass");
      expect(result.reason).toMatch(/HTTP 401|certificate|self.signed|UNABLE_TO_VERIFY|unable to verify/i);
    }
    // A wrong password is a 401 too, not a pass.
    const wrong = resolveBackendAccess({ basic: { username: "slo", password: "env:X" }, ca: pki.caCert }, "auth.prometheus", { X: "not-it" });
    expect((await client(`${endpoints.prometheus}/api/v1/query?query=up`, wrong).get("")).status).toBe(401);
    expect((await client(`${endpoints.jaeger}/api/services`, { ...access.jaeger, headers: {} }).get("")).status).toBe(401);
  });

  it("should keep every credential out of everything a run writes or prints: report.json, HTML, JUnit, progress, --json, --dry-run, errors", async () => {
    const cp = await startControlPlane();
    try {
      const pgPassword = `pg-${randomBytes(8).toString("hex")}`;
      const secrets = { SLO_TEST_PROM_PASSWORD: password, SLO_TEST_JAEGER_TOKEN: token, SLO_TEST_PG_PASSWORD: pgPassword };
      const basic = { username: "slo", password: "env:SLO_TEST_PROM_PASSWORD" };
      const file = path.join(dir, "with-credentials.yaml");
      writeFileSync(
        file,
        stringify({
          title: "Secrets stay out of every output",
          env: {
            provider: "existing",
            options: {
              kubeconfig: cp.kubeconfigPath,
              endpoints: { ...endpointUrls(endpoints), postgres: "postgresql://genomics@127.0.0.1:1/genomics" },
              postgresPassword: "env:SLO_TEST_PG_PASSWORD",
              auth: {
                prometheus: { basic, ca: pki.caCert },
                alertmanager: { basic, ca: pki.caCert },
                logs: { basic, ca: pki.caCert },
                jaeger: {
                  bearerToken: "env:SLO_TEST_JAEGER_TOKEN",
                  headers: { "X-Scope-OrgID": "genomics" },
                  ca: pki.caCert,
                  cert: pki.adminCert,
                  key: pki.adminKey,
                },
              },
            },
          },
          expectations: [
            // Becomes true a few seconds into the run: a condition already true at the start proves nothing.
            { id: "scraped", metric: `vector(time()) > ${Math.floor(Date.now() / 1000) + 8}`, within: "30s of run-start" },
            { id: "traced", trace: { service: "auth-check" }, within: "30s of run-start" },
            { id: "logged", log: `"${marker}"`, within: "30s of run-start" },
            // A miss, so the failure path (diagnosis, evidence, JUnit failure text) is written too.
            { id: "never", metric: 'up{job="absent"} == 1', within: "3s of run-start" },
          ],
        }),
      );
      const out = path.join(dir, "reports");
      const running = runCli(["run", file, "--out", out, "--json"], { env: secrets });
      // Fresh signals while the run looks, since it counts only what arrives after its start: bounded, 10 rounds.
      for (let i = 0; i < 10; i++) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        await sendSignals();
      }
      const run = await running.result;
      const dryRun = await runCli(["run", file, "--dry-run"], { env: secrets }).result;
      // A credential pasted inline by mistake is refused without being echoed back.
      const pasted = path.join(dir, "pasted.yaml");
      writeFileSync(pasted, readFileSync(file, "utf8").replace("env:SLO_TEST_JAEGER_TOKEN", token));
      const refused = await runCli(["validate", pasted], { env: secrets }).result;
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/auth\.jaeger\.bearerToken: expected where the secret is/);

      const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as {
        verdict: string;
        expectations: { id: string; verdict: string; reason?: string }[];
      };
      // The run really reached the backends with the credentials: all but the deliberate miss passed.
      expect(report.expectations.map((e) => [e.id, e.verdict, e.verdict === "pass" ? "" : e.reason])).toEqual([
        ["scraped", "pass", ""],
        ["traced", "pass", ""],
        ["logged", "pass", ""],
        ["never", "fail", expect.any(String)],
      ]);
      const outputs: Record<string, string> = {
        "run stdout": run.stdout,
        "run stderr": run.stderr,
        "dry-run stdout": dryRun.stdout,
        "dry-run stderr": dryRun.stderr,
        "validate stderr": refused.stderr,
      };
      for (const f of filesUnder(out)) outputs[path.relative(dir, f)] = readFileSync(f, "utf8");
      expect(Object.keys(outputs)).toEqual(expect.arrayContaining(["reports/report.json", "reports/report.html", "reports/junit.xml"]));
      const needles = [password, token, pgPassword, Buffer.from(`slo:${password}`).toString("base64")];
      const leaks = Object.entries(outputs).flatMap(([name, text]) => needles.filter((n) => text.includes(n)).map((n) => `${name} holds ${n.slice(0, 4)}…`));
      expect(leaks).toEqual([]);
    } finally {
      await cp.stop();
    }
  }, 180_000);
});

function endpointUrls(e: Endpoints): Record<string, string> {
  return { api: e.api, prometheus: e.prometheus, alertmanager: e.alertmanager, jaeger: e.jaeger, logs: e.logs, logsBackend: e.logsBackend };
}

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const p = path.join(root, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function client(url: string, a: BackendAccess) {
  return axios.create({
    baseURL: url,
    proxy: false,
    timeout: 3000,
    validateStatus: () => true,
    headers: a.headers,
    httpsAgent: new Agent({ ca: a.ca, cert: a.cert, key: a.key, rejectUnauthorized: a.rejectUnauthorized }),
  });
}

/**
 * A reverse proxy as a team would put in front of Jaeger's query API: TLS with the private CA,
 * a client certificate required, a bearer token and a tenant header checked, the rest forwarded.
 */
async function authProxy(port: number, upstreamPort: number, pki: Pki, token: string): Promise<Server> {
  const server = createServer(
    { cert: readFileSync(pki.servingCert), key: readFileSync(pki.servingKey), ca: readFileSync(pki.caCert), requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      if (req.headers.authorization !== `Bearer ${token}` || req.headers["x-scope-orgid"] !== "genomics") {
        res.writeHead(401, { "content-type": "text/plain" }).end("unauthorized\n");
        return;
      }
      const upstream = httpRequest(
        { host: "127.0.0.1", port: upstreamPort, path: req.url, method: req.method, headers: { ...req.headers, host: `127.0.0.1:${upstreamPort}` } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on("error", (err) => res.writeHead(502).end(err.message));
      req.pipe(upstream);
    },
  );
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}
