import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import axios from "axios";
import YAML from "yaml";
import { LocalEnvironment, type StartedLocalEnvironment } from "../../env/local/index.js";
import { signalComponent } from "../../env/local/component-control.js";
import type { Endpoints } from "../../core/environment.js";
import { planExpectation } from "../../test/expectations.js";
import { Timeline } from "../../core/timeline.js";
import { newTraceparent } from "../../runner/stack-check.js";
import type { ExpectationResult } from "../../core/report-schema.js";
import { eventually } from "../../test/eventually.js";
import { runExpectation, type ExpectationContext, type FaultWindow, type LoadRequest } from "../index.js";
import { PrometheusClient } from "../clients/index.js";
import { sleep } from "../utils/times.js";

/**
 * Verdicts on the real stack (DESIGN.md, "What a verdict means"): a signal lost inside the stack
 * fails with the hop where it was lost, read from the components' own APIs; an absence passes
 * only over a live path; a sighting of the load's traces needs the load behind it; only the
 * harness's own blindness, or a fault that declares it blinds a path, is inconclusive.
 */
describe("verdicts and diagnoses against the real stack", () => {
  let env: StartedLocalEnvironment;
  let endpoints: Endpoints;
  const timeline = new Timeline();
  const stopped = new Set<string>();
  const verdicts: ExpectationResult[] = [];

  beforeAll(async () => {
    env = await new LocalEnvironment().start();
    endpoints = env.getEndpoints();
    await eventually(async () => {
      const targets = await new PrometheusClient(endpoints.prometheus).targets();
      expect(targets.every((t) => t.health === "up")).toBe(true);
    });
  });
  afterAll(async () => {
    for (const name of stopped) signalComponent(endpoints.runDir, name, "SIGCONT");
    await env?.stop();
    console.log(verdicts.map((r) => `${r.id}: ${r.verdict} ${r.reason ?? ""}`).join("\n"));
  });

  const pause = (name: string) => (signalComponent(endpoints.runDir, name, "SIGSTOP"), stopped.add(name));
  const resume = (name: string) => (signalComponent(endpoints.runDir, name, "SIGCONT"), stopped.delete(name));
  function run(raw: Record<string, unknown>, anchorAt: Date, extra: Partial<ExpectationContext> = {}): Promise<ExpectationResult> {
    return runExpectation(planExpectation({ within: "12s of run-start", ...raw }, endpoints, anchorAt), {
      endpoints,
      timeline,
      origin: anchorAt,
      ...extra,
    }).then((r) => (verdicts.push(r), r));
  }
  const get = (patient: string, headers: Record<string, string> = {}) =>
    axios.get(`${endpoints.api}/analysis/${patient}`, { headers, proxy: false, timeout: 10_000, validateStatus: () => true });
  const traced = async (patient = "P000003") => {
    const t = newTraceparent();
    expect((await get(patient, { traceparent: t.header })).status).toBe(200);
    return { ...t, sentAt: new Date() };
  };

  it("should fail an alert Alertmanager holds past the deadline, one routed to nobody, one stuck pending and one whose threshold is never met, each at its own hop", async () => {
    // They start to hold a little after the reload: Prometheus drops what fires before it has rediscovered its Alertmanager.
    const t1 = Math.round(Date.now() / 1000) + 10;
    const rules = `groups:
  - name: slo-harness-diagnosis
    rules:
      - alert: SloHarnessHeld
        expr: vector(time()) > ${t1}
        labels: { severity: slow-page }
      - alert: SloHarnessUnrouted
        expr: vector(time()) > ${t1}
      - alert: SloHarnessPending
        expr: vector(time()) > ${t1}
        for: 1h
        labels: { severity: page }
      - alert: SloHarnessThreshold
        expr: vector(0.12) > 0.9
        labels: { severity: page }
`;
    const stackRules = readFileSync(new URL("../../env/stack/rules/genomics-api.rules.yml", import.meta.url), "utf8");
    await env.applyRules([
      { name: "genomics-api.rules.yml", content: stackRules },
      { name: "diagnosis.rules.yml", content: rules },
    ]);
    // A route whose group_wait outlasts any deadline: the page exists, but is held.
    const amFile = path.join(endpoints.runDir, "alertmanager", "alertmanager.yml");
    const config = YAML.parse(readFileSync(amFile, "utf8")) as { route: { routes: unknown[] } };
    config.route.routes.unshift({ matchers: ['severity="slow-page"'], receiver: "slo-harness", group_wait: "15m" });
    writeFileSync(amFile, YAML.stringify(config));
    expect((await axios.post(`${endpoints.alertmanager}/-/reload`, undefined, { proxy: false })).status).toBe(200);

    const anchorAt = new Date();
    const notified = (name: string) => run({ id: `${name.toLowerCase()}-pages`, alert: { name, state: "notified" }, within: "25s of run-start" }, anchorAt);
    const [held, unrouted, pending, threshold, quiet] = await Promise.all([
      notified("SloHarnessHeld"),
      notified("SloHarnessUnrouted"),
      notified("SloHarnessPending"),
      notified("SloHarnessThreshold"),
      // An absence of pages from an alert whose route tells nobody proves nothing.
      run({ id: "unrouted-never-pages", kind: "stays-absent", alert: { name: "SloHarnessUnrouted", state: "notified" }, within: "10s of run-start" }, anchorAt),
    ]);
    for (const r of [held, unrouted, pending, threshold]) expect({ id: r.id, verdict: r.verdict }).toEqual({ id: r.id, verdict: "fail" });
    expect(held.diagnosis).toMatchObject({ stoppedAt: "Alertmanager grouping", reachedBackend: true });
    expect(held.reason).toMatch(
      /Alertmanager held it: route root › routes\[0\] \{severity="slow-page"\} → receiver slo-harness \(webhook\), group_wait 15m00s.*first notification due at T\+15:\d\d\.\d, after the deadline T\+0:25\.0/,
    );
    expect(held.diagnosis!.hops.map((h) => [h.hop, h.status])).toEqual([
      ["alerting rule SloHarnessHeld", "reached"],
      ["alert expression", "reached"],
      ["firing", "reached"],
      ["Prometheus → Alertmanager", "reached"],
      ["Alertmanager", "reached"],
      ["Alertmanager grouping", "stopped"],
    ]);
    expect(unrouted.diagnosis?.stoppedAt).toBe("Alertmanager route");
    expect(unrouted.reason).toMatch(/matches route root → receiver unrouted \(no integrations\).*nobody is told/);
    expect(pending.diagnosis?.stoppedAt).toBe("firing");
    expect(pending.reason).toMatch(/pending from T\+0:\d\d\.\d and `for: 1h00m` keeps it pending until T\+1:00:\d\d\.\d at the earliest, after the deadline/);
    expect(threshold.diagnosis?.stoppedAt).toBe("alert expression");
    expect(threshold.reason).toMatch(/vector\(0\.12\) > 0\.9 never held .*: vector\(0\.12\) ranged 0\.12\.\.0\.12 .* against > 0\.9/);
    expect(quiet.verdict).toBe("fail");
    expect(quiet.reason).toMatch(/path was not alive: a page could not have been sent either: route root → receiver unrouted \(no integrations\)/);
  });

  it("should fail an absence over a path that carried nothing, and pass one over a live path", async () => {
    let sending = true;
    const traffic = (async () => {
      for (let i = 0; sending && i < 150; i++) {
        await get("P000004");
        await sleep(400);
      }
    })();
    // The 1m error ratio needs two scrapes of traffic before it records anything.
    await eventually(
      async () => expect((await new PrometheusClient(endpoints.prometheus).query("job:genomics_api_error_ratio:rate1m")).length).toBe(1),
      30_000,
    );
    const anchorAt = new Date();
    const [vacuous, live, noLogs, neverFired, neverHeld, typoLabel] = await Promise.all([
      run({ id: "typo-stays-quiet", kind: "stays-absent", metric: "job:genomics_api_error_ratio:rate1mm > 0.01", within: "8s of run-start" }, anchorAt),
      run({ id: "errors-stay-low", kind: "stays-absent", metric: "job:genomics_api_error_ratio:rate1m > 0.5", within: "8s of run-start" }, anchorAt),
      run(
        { id: "no-error-logs-from-a-silent-service", kind: "stays-absent", log: 'service.name:="genomics-apii" "failed"', within: "8s of run-start" },
        anchorAt,
      ),
      // Resolving, like staying absent, proves nothing about something that never happened.
      run({ id: "burn-alert-never-fired-clears", kind: "resolves", alert: { name: "AnalysisAPIErrorBudgetBurn" }, within: "8s of run-start" }, anchorAt),
      run({ id: "error-ratio-never-high-clears", kind: "resolves", metric: "job:genomics_api_error_ratio:rate1m > 0.5", within: "8s of run-start" }, anchorAt),
      run(
        {
          id: "typo-view-is-seen",
          metric: 'django_http_responses_total_by_status_view_method_total{job="genomics-api", view="variant_analysis"} > 0',
          within: "8s of run-start",
        },
        anchorAt,
      ),
    ]).finally(() => (sending = false));
    await traffic;
    expect(vacuous.verdict).toBe("fail");
    expect(vacuous.reason).toMatch(
      /path was not alive: no series of job:genomics_api_error_ratio:rate1mm existed .*a rise could not have been seen either.*similar names: job:genomics_api_error_ratio:rate1m/,
    );
    expect(live.verdict).toBe("pass");
    expect(live.evidence.some((e) => /returned series throughout the window/.test(e.result))).toBe(true);
    expect(noLogs.verdict).toBe("fail");
    expect(noLogs.reason).toMatch(/no line of genomics-apii reached VictoriaLogs/);
    expect(neverFired.verdict).toBe("fail");
    expect(neverFired.evidence.at(-1)!.result).toContain("an alert that never fired cannot resolve");
    expect(neverFired.diagnosis!.hops.at(-1)).toMatchObject({ hop: "alert resolved", status: "stopped" });
    expect(neverFired.diagnosis!.hops[0]).toMatchObject({ hop: "alerting rule AnalysisAPIErrorBudgetBurn", status: "reached" });
    expect(typoLabel.verdict).toBe("fail");
    expect(typoLabel.reason).toMatch(/view="variant_analysis" matches none \(view values: .*variant-analysis.*; did you mean view="variant-analysis"\?\)/);
    expect(typoLabel.reason).not.toMatch(/job="genomics-api" matches none/);
    expect(neverHeld.verdict).toBe("fail");
    expect(neverHeld.evidence.at(-1)!.result).toContain("job:genomics_api_error_ratio:rate1m > 0.5 never held since the run started");
    expect(neverHeld.reason).toMatch(/lost at condition: never > 0\.5 .*a condition that never held cannot stop holding/);
  });

  it("should fail a sighting of the load's traces when 1 request in 21 was sampled", async () => {
    const anchorAt = new Date();
    const sent: LoadRequest[] = [];
    for (let i = 0; i < 21; i++) {
      const t = newTraceparent();
      // Flags 00: the API's parent-based sampler drops the trace, as a 1-in-N head sampler would.
      const header = i === 10 ? t.header : t.header.replace(/-01$/, "-00");
      const sentAt = new Date();
      const response = await get("P000006", { traceparent: header });
      sent.push({ traceId: t.traceId, sentAt, status: response.status, latencyMs: Date.now() - sentAt.getTime() });
    }
    const result = await run({ id: "load-traced", trace: { service: "genomics-api", operation: "variant-analysis", fromLoad: true } }, anchorAt, {
      sentRequests: () => sent,
      settleMs: 3000,
    });
    expect(result.verdict).toBe("fail");
    expect(result.coverage).toMatchObject({ found: 1, checked: 21 });
    expect(result.reason).toMatch(
      /too little of the load reached the backend to trust it: 1 of 21 answered load requests reached Jaeger \(4\.8 %, at least 80 % required\)/,
    );
  });

  it("should fail trace and log expectations at a collector that stopped, naming it, and call them inconclusive only when a fault declares it", async () => {
    pause("otel-collector");
    const request = await traced();
    const anchorAt = new Date(request.sentAt.getTime() - 500);
    const declared: FaultWindow[] = [{ id: "collector-paused", injector: "process", target: "otel-collector", from: anchorAt, blinds: ["trace", "log"] }];
    const trace = { trace: { service: "genomics-api", operation: "variant-analysis", tags: { "patient.id": "P000003" } }, within: "15s of run-start" };
    const log = { log: `trace_id:="${request.traceId}"`, within: "15s of run-start" };
    const [traceLost, logLost, traceExcused, logExcused] = await Promise.all([
      run({ id: "request-traced", ...trace }, anchorAt),
      run({ id: "request-logged", ...log }, anchorAt),
      run({ id: "request-traced-declared", ...trace }, anchorAt, { faults: () => declared }),
      run({ id: "request-logged-declared", ...log }, anchorAt, { faults: () => declared }),
    ]).finally(() => resume("otel-collector"));
    for (const r of [traceLost, logLost]) {
      expect({ id: r.id, verdict: r.verdict, stoppedAt: r.diagnosis?.stoppedAt }).toEqual({ id: r.id, verdict: "fail", stoppedAt: "collector" });
      expect(r.reason).toMatch(/lost at collector: the collector was down .*otel-collector-internal/);
    }
    for (const r of [traceExcused, logExcused]) {
      expect({ id: r.id, verdict: r.verdict }).toEqual({ id: r.id, verdict: "inconclusive" });
      expect(r.reason).toMatch(
        /collector-paused .* declares that it blinds trace, log: a (trace|log) missed while it was in place cannot be judged; lost at collector/,
      );
    }
  });

  it("should be inconclusive when the harness cannot ask Jaeger, which nothing in the experiment caused", async () => {
    await eventually(async () => expect((await new PrometheusClient(endpoints.prometheus).targets()).every((t) => t.health === "up")).toBe(true));
    const request = await traced();
    pause("jaeger");
    const result = await run(
      {
        id: "traced-while-jaeger-hangs",
        trace: { service: "genomics-api", operation: "variant-analysis", tags: { "patient.id": "P000003" } },
        within: "6s of run-start",
      },
      new Date(request.sentAt.getTime() - 500),
    ).finally(() => resume("jaeger"));
    expect(result.verdict).toBe("inconclusive");
    expect(result.reason).toMatch(/^Jaeger (never answered|stopped answering)/);
  });

  it("should make metric expectations inconclusive, naming Prometheus, when it stops answering mid-poll, while a trace seen still counts", async () => {
    const request = await traced();
    const anchorAt = new Date(request.sentAt.getTime() - 1000);
    const running = Promise.all([
      run({ id: "errors-rise", metric: "job:genomics_api_error_ratio:rate1m > 0.5" }, anchorAt),
      run({ id: "nothing-fires", kind: "stays-absent", metric: { query: 'ALERTS{alertstate="firing", alertname="NoSuchAlert"}' } }, anchorAt),
      run({ id: "request-traced-anyway", trace: { service: "genomics-api", operation: "variant-analysis", tags: { "patient.id": "P000003" } } }, anchorAt),
    ]);
    await sleep(2000);
    pause("prometheus");
    const [errorsRise, nothingFires, requestTraced] = await running.finally(() => resume("prometheus"));
    for (const r of [errorsRise, nothingFires]) {
      expect({ id: r.id, verdict: r.verdict }).toEqual({ id: r.id, verdict: "inconclusive" });
      expect(r.reason).toMatch(/^Prometheus stopped answering at .* before the deadline .*Prometheus GET .*\/api\/v1\/query_range/);
    }
    expect(requestTraced.verdict).toBe("pass");
  });

  it("should stay inconclusive when Prometheus comes back before the deadline after a silence longer than the blind gap", async () => {
    await eventually(() => new PrometheusClient(endpoints.prometheus).query("up"));
    const anchorAt = new Date();
    const running = run({ id: "errors-rise-again", metric: "job:genomics_api_error_ratio:rate1m > 0.5", within: "22s of run-start" }, anchorAt);
    await sleep(2000);
    pause("prometheus");
    await sleep(13_000);
    resume("prometheus");
    const result = await running;
    expect(result.verdict).toBe("inconclusive");
    expect(result.reason).toMatch(/Prometheus did not answer for 1\d\.\d s .*longer than the 10\.0 s it may miss .*Prometheus/);
  });

  it("should make metric and monitoring expectations inconclusive when Prometheus is killed", async () => {
    signalComponent(endpoints.runDir, "prometheus", "SIGKILL");
    const anchorAt = new Date();
    const [metric, monitoring] = await Promise.all([
      run({ id: "errors-rise-dead", metric: "job:genomics_api_error_ratio:rate1m > 0.5", within: "4s of run-start" }, anchorAt),
      run({ id: "monitoring-sees-dead", monitoring: { check: "all" }, within: "4s of run-start" }, anchorAt),
    ]);
    expect(metric.verdict).toBe("inconclusive");
    expect(metric.reason).toMatch(/Prometheus never answered .*Prometheus GET .*ECONNREFUSED/);
    expect(monitoring.verdict).toBe("inconclusive");
    expect(monitoring.reason).toMatch(/Prometheus unreachable/);
  });
});
