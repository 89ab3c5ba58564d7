import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A copy of env/stack/ and env/target/ that a defect edits. */
export interface StackCopy {
  stack: string;
  target: string;
}

export type BuiltInExperiment = "smoke" | "pool-exhaustion";

export interface Defect {
  id: string;
  /** What a careless change did, in the words of a postmortem. */
  description: string;
  /** The built-in experiment that must catch it. */
  experiment: BuiltInExperiment;
  /** Expectations (or steady-state checks) that must fail, their evidence pointing at the defect. */
  mustNotPass: string[];
  /** What the evidence of each of them must say: the hop where the signal was lost and why. */
  hop: RegExp;
  apply(copy: StackCopy): void;
}

/** Replaces exactly one occurrence, so a defect whose anchor moved fails loudly instead of seeding nothing. */
export function replaceOnce(file: string, needle: string | RegExp, replacement: string): void {
  const text = readFileSync(file, "utf8");
  const matches = typeof needle === "string" ? text.split(needle).length - 1 : [...text.matchAll(new RegExp(needle, "g"))].length;
  if (matches !== 1) throw new Error(`${file}: expected exactly one ${String(needle)} to seed the defect, found ${matches}`);
  writeFileSync(file, text.replace(needle, replacement));
}

const rules = (c: StackCopy) => path.join(c.stack, "rules", "genomics-api.rules.yml");
const collector = (c: StackCopy) => path.join(c.stack, "otel-collector.yaml");
const alertmanager = (c: StackCopy) => path.join(c.stack, "alertmanager.yml");

export const DEFECTS: Defect[] = [
  {
    id: "recording-rule-misspelled-metric",
    description: "the 1m error-ratio recording rule reads django_http_response_total_… (no s): it records nothing",
    experiment: "pool-exhaustion",
    mustNotPass: ["error-ratio-rises"],
    hop: /exposes no django_http_response_total_by_status_view_method_total.*similar: django_http_responses_total_by_status_view_method_total/,
    apply: (c) =>
      replaceOnce(
        rules(c),
        /(record: job:genomics_api_error_ratio:rate1m\n\s+expr: \|\n\s+\(\n\s+sum by \(job\) \(rate\()django_http_responses_total/,
        "$1django_http_response_total",
      ),
  },
  {
    id: "alert-for-too-long",
    description: "the burn alert waits for: 6h, so it cannot fire within the paging deadline",
    experiment: "pool-exhaustion",
    mustNotPass: ["burn-alert-pages"],
    // Rules are compressed 30x in pool-exhaustion, so the 6h `for` reads 12m there: still past the deadline.
    hop: /lost at firing: .*`for: \d+(h|m)\d\d(m|s)` keeps it pending until .* after the deadline/,
    apply: (c) => replaceOnce(rules(c), /(alert: AnalysisAPIErrorBudgetBurn\n\s+expr: .*\n\s+)for: 5m/, "$1for: 6h"),
  },
  {
    id: "alertmanager-route-to-nowhere",
    description: "Alertmanager's paging route sends pages to a receiver with no integration",
    experiment: "pool-exhaustion",
    mustNotPass: ["burn-alert-pages"],
    hop: /lost at Alertmanager route: .*receiver nowhere \(no integrations\)/,
    apply: (c) => {
      const file = alertmanager(c);
      replaceOnce(
        file,
        "    - matchers: ['severity=\"page\"']\n      receiver: slo-harness\n",
        "    - matchers: ['severity=\"page\"']\n      receiver: nowhere\n",
      );
      replaceOnce(file, "receivers:\n", "receivers:\n  - name: nowhere\n");
    },
  },
  {
    id: "traces-exported-to-wrong-place",
    description: "the collector's trace exporter points at a port where nothing listens",
    experiment: "pool-exhaustion",
    mustNotPass: ["failing-db-spans-traced"],
    hop: /lost at collector exporter: .*(exporter otlp\/jaeger (failed to send|has \d+ waiting in its sending queue))/,
    apply: (c) => replaceOnce(collector(c), "endpoint: ${env:JAEGER_HOST:-127.0.0.1}:${env:JAEGER_OTLP_GRPC_PORT}", "endpoint: 127.0.0.1:9"),
  },
  {
    id: "logs-pipeline-removed",
    description: "the collector's logs pipeline was deleted: log records are refused at the door",
    experiment: "pool-exhaustion",
    mustNotPass: ["pool-errors-logged"],
    hop: /lost at SDK → collector: the collector has no pipeline for log records/,
    apply: (c) =>
      replaceOnce(collector(c), /\n {4}logs:\n {6}receivers: \[otlp\]\n {6}processors: \[memory_limiter, batch\]\n {6}exporters: \[otlphttp\/logs\]/, ""),
  },
  {
    id: "scrape-job-relabelled-away",
    description: "a relabelling rule drops the API's scrape target",
    experiment: "pool-exhaustion",
    // The page never fired, so it cannot have cleared either: "resolves" must not pass on a blind stack.
    mustNotPass: ["error-ratio-rises", "burn-alert-clears"],
    hop: /lost at scrape job genomics-api: no active target: all 1 discovered target\(s\) .* are dropped by relabel_configs/,
    apply: (c) =>
      replaceOnce(
        path.join(c.stack, "prometheus.yml"),
        "  - job_name: genomics-api\n    metrics_path: /metrics\n",
        "  - job_name: genomics-api\n    metrics_path: /metrics\n    relabel_configs:\n      - source_labels: [__address__]\n        regex: .*\n        action: drop\n",
      ),
  },
  {
    id: "custom-span-removed",
    description: "the variant-analysis span is no longer created; the code runs in whatever span is current",
    experiment: "pool-exhaustion",
    mustNotPass: ["failing-db-spans-traced", "slow-db-span-dominates-locked-requests"],
    hop: /lost at Jaeger query: genomics-api has no span named variant-analysis/,
    apply: (c) =>
      replaceOnce(
        path.join(c.target, "genomics", "views.py"),
        'with tracer.start_as_current_span("variant-analysis") as span:',
        'with __import__("contextlib").nullcontext(trace.get_current_span()) as span:',
      ),
  },
  {
    id: "trace-context-not-in-logs",
    description: "log records leave the API without the active trace context",
    experiment: "smoke",
    mustNotPass: ["analysis-logs-reach-the-log-store"],
    hop: /lost at trace context: .*lines match, but none carries a trace id/,
    apply: (c) => {
      const telemetry = path.join(c.target, "genomics", "telemetry.py");
      // Trace ids reach the log store two ways: the OTLP record's own context, and the trace_id
      // attribute the stderr filter puts on the shared record. The defect must cut both.
      replaceOnce(telemetry, 'record.trace_id = format(ctx.trace_id, "032x") if ctx.is_valid else "-"', 'record.trace_id = "-"');
      replaceOnce(
        telemetry,
        "        otlp_handler.addFilter(_PlainAttributes())\n",
        "        otlp_handler.addFilter(_PlainAttributes())\n" +
          "        from opentelemetry import context as _ctx\n" +
          "        _emit = otlp_handler.emit\n" +
          "        def _emit_detached(record, _emit=_emit):\n" +
          "            token = _ctx.attach(_ctx.Context())\n" +
          "            try:\n" +
          "                _emit(record)\n" +
          "            finally:\n" +
          "                _ctx.detach(token)\n" +
          "        otlp_handler.emit = _emit_detached\n",
      );
    },
  },
  {
    id: "sampling-at-zero",
    description: "the tracer provider samples 0 % of traces",
    experiment: "pool-exhaustion",
    mustNotPass: ["failing-db-spans-traced"],
    hop: /lost at SDK → collector: the collector received no spans during the window though it takes them: the service sent none/,
    apply: (c) =>
      replaceOnce(
        path.join(c.target, "genomics", "telemetry.py"),
        "tracer_provider = TracerProvider(resource=resource)",
        'tracer_provider = TracerProvider(resource=resource, sampler=__import__("opentelemetry.sdk.trace.sampling", fromlist=["ALWAYS_OFF"]).ALWAYS_OFF)',
      ),
  },
  {
    id: "log-store-rejects-stream",
    description: "the log store refuses what the collector sends (wrong ingestion path: HTTP 400)",
    experiment: "pool-exhaustion",
    mustNotPass: ["pool-errors-logged"],
    hop: /lost at collector exporter: .*exporter otlphttp\/logs failed to send/,
    apply: (c) => replaceOnce(collector(c), "/insert/opentelemetry/v1/logs", "/insert/opentelemetry/v1/lgs"),
  },
  {
    id: "alertmanager-holds-the-page",
    description: "the paging route's group_wait was raised to 15m, so the first page waits a quarter of an hour",
    experiment: "pool-exhaustion",
    mustNotPass: ["burn-alert-pages"],
    hop: /lost at Alertmanager grouping: Alertmanager held it: .*group_wait 15m00s.*first notification due at T\+1\d:\d\d\.\d, after the deadline/,
    apply: (c) =>
      replaceOnce(
        alertmanager(c),
        "    - matchers: ['severity=\"page\"']\n      receiver: slo-harness\n",
        "    - matchers: ['severity=\"page\"']\n      receiver: slo-harness\n      group_wait: 15m\n",
      ),
  },
  {
    id: "collector-memory-limit-tiny",
    description: "the collector's memory_limiter was set to 2 MiB, so it refuses what it is sent",
    experiment: "smoke",
    mustNotPass: ["load-traces-reach-jaeger", "analysis-logs-reach-the-log-store"],
    hop: /lost at collector receiver: the collector refused (spans|log records) it was sent/,
    apply: (c) => replaceOnce(collector(c), "    limit_mib: 256\n    spike_limit_mib: 64\n", "    limit_mib: 2\n    spike_limit_mib: 1\n"),
  },
  {
    id: "alert-lost-its-severity",
    description: "the burn alert lost its severity label, which Alertmanager routes pages on",
    experiment: "pool-exhaustion",
    mustNotPass: ["burn-alert-pages"],
    hop: /lost at Alertmanager route: .*receiver unrouted \(no integrations\)/,
    apply: (c) => replaceOnce(rules(c), /(alert: AnalysisAPIErrorBudgetBurn\n(?:.*\n){3}) {10}severity: page\n/, "$1"),
  },
  {
    id: "burn-threshold-mistyped",
    description: "the burn alert's threshold was typed as 0.9 instead of 0.01",
    experiment: "pool-exhaustion",
    mustNotPass: ["burn-alert-pages"],
    hop: /lost at alert expression: job:genomics_api_error_ratio:rate1h > 0\.9 never held .*ranged .* against > 0\.9/,
    apply: (c) => replaceOnce(rules(c), "expr: job:genomics_api_error_ratio:rate1h > 0.01", "expr: job:genomics_api_error_ratio:rate1h > 0.9"),
  },
  {
    id: "error-ratio-rule-selects-nothing",
    description: "the 1m error-ratio rule's view selector was typed variant_analysis: it records nothing, so a quiet error ratio proves nothing",
    experiment: "smoke",
    mustNotPass: ["error-ratio-stays-under-1-percent"],
    hop: /path was not alive: no series of job:genomics_api_error_ratio:rate1m existed .*view="variant_analysis" matches none \(view values: .*variant-analysis.*; did you mean view="variant-analysis"\?\)/,
    apply: (c) => {
      const file = rules(c);
      const text = readFileSync(file, "utf8");
      const start = text.indexOf("record: job:genomics_api_error_ratio:rate1m");
      const end = text.indexOf("- record:", start + 1);
      const rule = text.slice(start, end);
      if (rule.split('view="variant-analysis"').length !== 4)
        throw new Error(`${file}: expected three view selectors in the 1m error-ratio rule to seed the defect`);
      writeFileSync(file, text.slice(0, start) + rule.replaceAll('view="variant-analysis"', 'view="variant_analysis"') + text.slice(end));
    },
  },
  {
    id: "sampler-keeps-1-in-1000",
    description: "the tracer provider keeps 1 trace in 1000 whatever the caller asked for",
    experiment: "smoke",
    mustNotPass: ["load-traces-reach-jaeger"],
    hop: /reached Jaeger \(\d+\.\d %, at least 80 % required\)|lost at /,
    apply: (c) =>
      replaceOnce(
        path.join(c.target, "genomics", "telemetry.py"),
        "tracer_provider = TracerProvider(resource=resource)",
        'tracer_provider = TracerProvider(resource=resource, sampler=__import__("opentelemetry.sdk.trace.sampling", fromlist=["TraceIdRatioBased"]).TraceIdRatioBased(0.001))',
      ),
  },
];
