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
  /** Expectations (or steady-state checks) that must not pass, their evidence pointing at the defect. */
  mustNotPass: string[];
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

export const DEFECTS: Defect[] = [
  {
    id: "recording-rule-misspelled-metric",
    description: "the 1m error-ratio recording rule reads django_http_response_total_… (no s): it records nothing",
    experiment: "pool-exhaustion",
    mustNotPass: ["error-ratio-rises"],
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
    apply: (c) => replaceOnce(rules(c), /(alert: AnalysisAPIErrorBudgetBurn\n\s+expr: .*\n\s+)for: 5m/, "$1for: 6h"),
  },
  {
    id: "alertmanager-route-to-nowhere",
    description: "Alertmanager's route sends every alert to a receiver with no integration",
    experiment: "pool-exhaustion",
    mustNotPass: ["burn-alert-pages"],
    apply: (c) => {
      const file = path.join(c.stack, "alertmanager.yml");
      replaceOnce(file, "route:\n  receiver: slo-harness\n", "route:\n  receiver: nowhere\n");
      replaceOnce(file, "receivers:\n", "receivers:\n  - name: nowhere\n");
    },
  },
  {
    id: "traces-exported-to-wrong-place",
    description: "the collector's trace exporter points at a port where nothing listens",
    experiment: "pool-exhaustion",
    mustNotPass: ["failing-db-spans-traced"],
    apply: (c) => replaceOnce(collector(c), "endpoint: ${env:JAEGER_HOST:-127.0.0.1}:${env:JAEGER_OTLP_GRPC_PORT}", "endpoint: 127.0.0.1:9"),
  },
  {
    id: "logs-pipeline-removed",
    description: "the collector's logs pipeline was deleted: log records are refused at the door",
    experiment: "pool-exhaustion",
    mustNotPass: ["pool-errors-logged"],
    apply: (c) => replaceOnce(collector(c), /\n {4}logs:\n {6}receivers: \[otlp\]\n {6}processors: \[memory_limiter, batch\]\n {6}exporters: \[otlphttp\/logs\]/, ""),
  },
  {
    id: "scrape-job-relabelled-away",
    description: "a relabelling rule drops the API's scrape target",
    experiment: "pool-exhaustion",
    mustNotPass: ["error-ratio-rises"],
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
    apply: (c) => replaceOnce(collector(c), "/insert/opentelemetry/v1/logs", "/insert/opentelemetry/v1/lgs"),
  },
];
