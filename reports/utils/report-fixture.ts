import type { ExpectationResult, LoadResult, Report } from "../../core/report-schema.js";
import { REPORT_SCHEMA_VERSION } from "../../core/report-schema.js";
import { gameDayExpectations, gameDaySteadyState } from "./report-fixture-expectations.js";
import { gameDayTimeline } from "./report-fixture-timeline.js";

/**
 * A realistic report.json for tests and the bench: the reference game day from DESIGN.md. Vegeta
 * sends 20 rps for 15 min; the DB pool is exhausted from T+2:00 for 4 min; metrics, traces and logs
 * see it, the burn alert pages, fails to clear (the article's single 1 h window), and the
 * Kubernetes-events check is inconclusive on the local provider.
 */
export interface GameDayOptions {
  /** Seconds of load, one load sample per second; 1 000 000 gives a million-sample soak. */
  durationSeconds?: number;
  rps?: number;
  /** Points per Prometheus series; default one every 15 s. */
  seriesPoints?: number;
  /** Text planted in every field that comes from the system under test, to check escaping. */
  hostile?: string;
  startedAt?: string;
}

const GAME_DAY_FAULT = { offsetSeconds: 120.4, durationSeconds: 240.2, errorRatio: 0.87 };

/**
 * The game day as a run with rules compressed ×30 whose fault was replayed at production scale:
 * the shipped page alert fires after 6 min with 0.72 % of the budget spent, the ticket does not.
 */
export function buildCompressedGameDayReport(options: GameDayOptions = {}): Report {
  const report = buildGameDayReport(options);
  report.environment.rules = { ...report.environment.rules, compressed: true, factor: 30 };
  report.production = {
    method: "promtool test rules on the uncompressed alert rules",
    profile: { errorRatio: 0.87, durationSeconds: 7206, ratePerSecond: 20 },
    alerts: [
      {
        alert: "AnalysisAPIErrorBudgetBurn",
        severity: "page",
        slo: "analysis-availability-99",
        fired: true,
        detectionSeconds: 360,
        budgetAtDetection: 0.0072,
        resetSeconds: 3600,
      },
      { alert: "AnalysisAvailability99ErrorBudgetBurn", severity: "ticket", slo: "analysis-availability-99", fired: false },
    ],
  };
  return report;
}

export function buildGameDayReport(options: GameDayOptions = {}): Report {
  const duration = options.durationSeconds ?? 900;
  const rps = options.rps ?? 20;
  const start = Date.parse(options.startedAt ?? "2025-11-20T14:00:00.000Z");
  const h = options.hostile ?? "";
  const at = (offsetSeconds: number) => new Date(start + offsetSeconds * 1000).toISOString();
  const faultStart = GAME_DAY_FAULT.offsetSeconds;
  const faultEnd = faultStart + GAME_DAY_FAULT.durationSeconds;
  const random = mulberry32(7);
  const inFault = (s: number) => s >= faultStart + 1.5 && s < faultEnd + 2;

  const samples: LoadResult["samples"] = [];
  let requests = 0;
  let errors = 0;
  for (let s = 0; s < duration; s++) {
    const bad = inFault(s);
    const errs = bad ? Math.round(rps * (GAME_DAY_FAULT.errorRatio + (random() - 0.5) * 0.1)) : random() < 0.02 ? 1 : 0;
    samples.push({
      t: at(s),
      requests: rps,
      errors: Math.min(rps, errs),
      p50: bad ? 3000 + random() * 20 : 42 + random() * 8,
      p99: bad ? 5004 + random() * 12 : 150 + random() * 60,
    });
    requests += rps;
    errors += Math.min(rps, errs);
  }
  const errorRatio = errors / requests;

  const step = duration / (options.seriesPoints ?? Math.max(2, Math.round(duration / 15)));
  const windowFaultShare = (t: number, window: number) => Math.max(0, Math.min(t - 15, faultEnd) - Math.max(t - 15 - window, faultStart)) / window;
  const series: Report["series"] = {
    [`job:genomics_api_requests:rate1m${h ? `{instance="${h}"}` : ""}`]: [],
    "job:genomics_api_error_ratio:rate1m": [],
    "job:genomics_api_p99_latency_seconds": [],
  };
  const [rate, ratio, p99] = Object.values(series);
  const burn: [number, number][] = [];
  for (let t = step; t <= duration; t += step) {
    const unix = (start + t * 1000) / 1000;
    const share = windowFaultShare(t, 60);
    rate!.push([unix, rps - 0.3 + random() * 0.6]);
    ratio!.push([unix, share * GAME_DAY_FAULT.errorRatio + random() * 0.001]);
    p99!.push([unix, share > 0.02 ? 4.95 : 0.18 + random() * 0.04]);
    // The article's rule looks back 1 h; early in a run that is everything seen so far.
    const window = Math.min(3600, Math.max(1, t - 15));
    burn.push([unix, (windowFaultShare(t, window) * GAME_DAY_FAULT.errorRatio) / 0.01]);
  }

  const serverRatio = errorRatio * 0.96;
  const windowSeconds = 30 * 86_400;
  const budget = (ratioValue: number) => (ratioValue * duration) / (windowSeconds * 0.01);
  const exp = gameDayExpectations({ at, faultStart, faultEnd, hostile: h });
  const steady = gameDaySteadyState(at, duration);
  const verdict = worstVerdict(exp);

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    verdict,
    partial: false,
    experiment: {
      title: `The analysis API pages the on-call within 10 minutes when the DB pool is exhausted${h}`,
      file: "experiments/pool-exhaustion.yaml",
      id: "pool-exhaustion",
    },
    startedAt: at(0),
    endedAt: at(duration + 5),
    summary: h ? `Runner note ${h}` : "",
    environment: {
      provider: "local",
      components: [
        { name: "genomics-api", version: `0.1.0${h}` },
        { name: "postgres", version: "16.4" },
        { name: "prometheus", version: "3.5.0" },
        { name: "alertmanager", version: "0.28.1" },
        { name: "otel-collector", version: "0.130.0" },
        { name: "jaeger", version: "2.8.0" },
        { name: "victoria-logs", version: "1.24.0" },
        { name: "alert-receiver", version: "0.1.0" },
      ],
      endpoints: {
        api: "http://127.0.0.1:8000",
        prometheus: "http://127.0.0.1:9090",
        alertmanager: "http://127.0.0.1:9093",
        jaeger: "http://127.0.0.1:16686",
        logs: "http://127.0.0.1:9428",
      },
      rules: { compressed: false, factor: 1, files: ["env/stack/rules/genomics-api.rules.yml"], warnings: [] },
    },
    load: {
      scenario: "steady",
      tool: "vegeta",
      target: "http://127.0.0.1:8000/api/v1/analysis/",
      requests,
      errors,
      errorRatio,
      rps,
      latency: { p50: 46, p90: 3008, p95: 5002, p99: 5012, max: 5231 },
      statusCodes: { "200": requests - errors, "500": Math.floor(errors * 0.8), "503": errors - Math.floor(errors * 0.8) },
      samples,
      thresholds: [
        { name: "error ratio", ok: errorRatio < 0.01, value: errorRatio, limit: "< 0.01" },
        { name: "p99 latency (ms)", ok: false, value: 5012, limit: "< 2000" },
      ],
    },
    faults: [
      {
        id: "pool-exhausted",
        injector: "pool-exhaustion",
        target: "postgres://127.0.0.1:5432/genomics",
        params: { mode: "connections", hold: "100%", ...(h ? { note: h } : {}) },
        plannedAt: at(120),
        injectedAt: at(faultStart),
        rolledBackAt: at(faultEnd),
        effectVerified: true,
        evidence: `held 100 of 100 connections; a new connection was refused: FATAL: sorry, too many clients already${h}`,
      },
    ],
    // A fault a killed earlier run left, only where escaping is checked: the game day itself had none.
    recoveredFaults: h
      ? [
          {
            id: `api-paused${h}`,
            injector: "process",
            injectedAt: at(-600),
            leftBy: { experiment: `collector-down${h}`, provider: "local", runDir: `/tmp/slo-harness-root/runs/20251120T135000-4242${h}`, pid: 4242 },
            actions: [`signal-group: SIGCONT to process group 4250 (its leader): 5 processes running, none stopped${h}`],
          },
        ]
      : [],
    expectations: exp,
    steadyState: steady,
    slos: [
      {
        name: "analysis-availability-99",
        objective: 0.99,
        client: { sli: 1 - errorRatio, errorRatio, budgetConsumed: budget(errorRatio), burnRate: errorRatio / 0.01 },
        server: {
          sli: 1 - serverRatio,
          errorRatio: serverRatio,
          budgetConsumed: budget(serverRatio),
          burnRate: serverRatio / 0.01,
          query: `sum(rate(django_http_responses_total_by_status_total{status=~"5.."}[15m])) / sum(rate(django_http_responses_total_by_status_total[15m]))${h}`,
        },
        discrepancy: Math.abs(errorRatio - serverRatio),
        perFault: [{ faultId: "pool-exhausted", clientErrorRatio: 0.87, serverErrorRatio: 0.84, budgetConsumed: budget(errorRatio) * 0.98 }],
        burnRateSeries: burn,
      },
    ],
    alerts: [
      {
        name: "AnalysisAPIErrorBudgetBurn",
        labels: { alertname: "AnalysisAPIErrorBudgetBurn", severity: "page", service: "genomics-api", ...(h ? { note: h } : {}) },
        firingAt: at(faultStart + 135),
        notifiedAt: at(faultStart + 167.3),
      },
    ],
    series,
    timeline: gameDayTimeline({ at, duration, faultStart, faultEnd, expectations: exp, hostile: h }),
  };
}

function worstVerdict(results: ExpectationResult[]): Report["verdict"] {
  if (results.some((r) => r.verdict === "fail")) return "fail";
  return results.some((r) => r.verdict === "inconclusive") ? "inconclusive" : "pass";
}

/** A small seeded generator so fixtures are the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
