import type { ExpectationResult, Report } from "../../core/report-schema.js";

interface Context {
  at: (offsetSeconds: number) => string;
  faultStart: number;
  faultEnd: number;
  hostile: string;
}

const TRACE_IDS = ["4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c"];

/** The six expectations of the pool-exhaustion game day: four pass, one fails, one is inconclusive. */
export function gameDayExpectations({ at, faultStart, faultEnd, hostile: h }: Context): ExpectationResult[] {
  const seen = (id: string, signal: ExpectationResult["signal"], latency: number, deadline: number, rest: Partial<ExpectationResult>): ExpectationResult => ({
    id,
    signal,
    kind: "appears",
    description: "",
    verdict: "pass",
    deadline: `${deadline >= 60 ? `${deadline / 60}m` : `${deadline}s`} after pool-exhausted.start`,
    anchorAt: at(faultStart),
    deadlineAt: at(faultStart + deadline),
    firstSeenAt: at(faultStart + latency),
    detectionLatencySeconds: latency,
    evidence: [],
    polls: Math.ceil(latency / 2) + 1,
    errors: 0,
    ...rest,
  });
  return [
    seen("error-ratio-rises", "metric", 33.2, 60, {
      description: `The 1-minute error ratio goes above 1 %${h}`,
      evidence: [
        {
          query: `job:genomics_api_error_ratio:rate1m > 0.01${h}`,
          result: `0.0412 at ${at(faultStart + 33.2)} {job="genomics-api"}`,
          url: "http://127.0.0.1:9090/graph?g0.expr=job%3Agenomics_api_error_ratio%3Arate1m%20%3E%200.01",
        },
      ],
    }),
    seen("failing-db-spans-traced", "trace", 3.1, 60, {
      description: "Jaeger holds an errored variant-analysis trace with the failing database span",
      evidence: [
        {
          query: `service=genomics-api operation=variant-analysis tags={"error":"true"}`,
          result:
            `trace ${TRACE_IDS[0]}: variant-analysis 3004 ms, error; span "connect" db.system=postgresql ` +
            `http.route=/api/v1/analysis/<uuid> exception.message="connection to server at \\"127.0.0.1\\", port 5432 failed: ` +
            `FATAL:  sorry, too many clients already"${h}`,
          url: h ? "javascript:window.__pwned=3" : `http://127.0.0.1:16686/trace/${TRACE_IDS[0]}`,
          traceIds: h ? [...TRACE_IDS, `"><script>window.__pwned=4</script>${h}`] : TRACE_IDS,
        },
      ],
    }),
    seen("pool-errors-logged", "log", 1.2, 60, {
      description: "VictoriaLogs holds the application's 'too many clients' error",
      evidence: [
        {
          query: `service.name:"genomics-api" "too many clients"${h}`,
          result:
            `${at(faultStart + 1.2)} ERROR django.request Internal Server Error: /api/v1/analysis/ ` +
            `psycopg2.OperationalError: connection to server at "127.0.0.1", port 5432 failed: FATAL:  sorry, too many clients already${h}`,
        },
      ],
    }),
    {
      id: "pool-exhaustion-event-recorded",
      signal: "event",
      kind: "appears",
      description: "Kubernetes records a warning event for the database",
      verdict: "inconclusive",
      deadline: "2m after pool-exhausted.start",
      anchorAt: at(faultStart),
      deadlineAt: at(faultStart + 120),
      evidence: [{ query: `involvedObject.name=postgres type=Warning${h}`, result: "not queried" }],
      reason: `no Kubernetes API: the local provider runs processes, not pods; run with --env kind to check events${h}`,
      polls: 0,
      errors: 1,
    },
    seen("burn-alert-pages", "alert", 167.3, 600, {
      description: "AnalysisAPIErrorBudgetBurn reaches the on-call (Alertmanager notification)",
      evidence: [
        {
          query: `alertname="AnalysisAPIErrorBudgetBurn" state=notified`,
          result: `notification received at ${at(faultStart + 167.3)}: status=firing severity=page summary="Analysis API is burning its error budget"${h}`,
        },
      ],
    }),
    {
      id: "burn-alert-clears",
      signal: "alert",
      kind: "resolves",
      description: "AnalysisAPIErrorBudgetBurn resolves after the pool recovers",
      verdict: "fail",
      deadline: "8m after pool-exhausted.end",
      anchorAt: at(faultEnd),
      deadlineAt: at(faultEnd + 480),
      evidence: [
        {
          query: `ALERTS{alertname="AnalysisAPIErrorBudgetBurn", alertstate="firing"}`,
          result: `1 at ${at(faultEnd + 480)} (firing since ${at(faultStart + 135)})`,
        },
      ],
      reason:
        "still firing at the deadline: the rule's single 1 h window still held 23 % errors against a 1 % threshold; " +
        `a multi-window burn-rate rule would have cleared in about 5 min${h}`,
      polls: 240,
      errors: 0,
    },
  ];
}

export function gameDaySteadyState(at: (s: number) => string, duration: number): Report["steadyState"] {
  const check = (id: string, offset: number, verdict: ExpectationResult["verdict"], query: string, result: string, reason?: string): ExpectationResult => ({
    id,
    signal: id.startsWith("no-alert") ? "alert" : "metric",
    kind: id.startsWith("no-alert") ? "stays-absent" : "appears",
    description: id.startsWith("no-alert") ? "No page is firing" : "p99 latency is under 2 s",
    verdict,
    deadline: offset === 0 ? "before the first fault" : "after the last fault",
    firstSeenAt: at(offset),
    evidence: [{ query, result }],
    ...(reason ? { reason } : {}),
    polls: 1,
    errors: 0,
  });
  return {
    before: [
      check("api-p99-under-2s", 0, "pass", "job:genomics_api_p99_latency_seconds < 2", "0.19"),
      check("no-alert-firing", 0, "pass", 'ALERTS{severity="page", alertstate="firing"}', "no series"),
    ],
    after: [
      check("api-p99-under-2s", duration, "pass", "job:genomics_api_p99_latency_seconds < 2", "0.2"),
      check(
        "no-alert-firing",
        duration,
        "fail",
        'ALERTS{severity="page", alertstate="firing"}',
        "AnalysisAPIErrorBudgetBurn firing",
        "a page was still firing after the run",
      ),
    ],
  };
}
