import { z } from "zod";
import { SLOTH_POLICY } from "../burn-rate-policy.js";
import type { SloDefinition } from "../slo-definition.js";
import { SLO_NAME, SLO_NAME_MESSAGE, sloPeriod } from "../utils/slo-fields.js";
import { sliFromQueries } from "./sli-from-queries.js";
import { parseWith, type SloFormat } from "./slo-format.js";

/**
 * Sloth's own spec (pkg/prometheus/api/v1): a service and its SLOs, each with an objective in
 * percent and error/total queries. Alert labels, annotations, `for` and plugins only shape the
 * rules Sloth writes; the harness writes its own, so it reads them and keeps the alert name and
 * which alerts are disabled.
 */
const labels = z.record(z.string(), z.string()).optional();
const Alert = z.strictObject({ disable: z.boolean().optional(), labels, annotations: labels, for: z.string().optional() });

const SlothSlo = z.strictObject({
  name: z.string().regex(SLO_NAME, { message: SLO_NAME_MESSAGE }),
  objective: z.number().gt(0).lt(100, { message: "expected a percentage below 100, like 99.9 (100 % leaves no error budget to burn)" }),
  description: z.string().optional(),
  labels,
  infoLabels: labels,
  sli: z.strictObject({
    events: z.strictObject({ error_query: z.string().min(1), total_query: z.string().min(1) }).optional(),
    raw: z.unknown().optional(),
    plugin: z.unknown().optional(),
  }),
  alerting: z
    .strictObject({ name: z.string().optional(), labels, annotations: labels, page_alert: Alert.optional(), ticket_alert: Alert.optional() })
    .optional(),
  interval: z.unknown().optional(),
});

export const SlothSpecSchema = z.strictObject({
  version: z.literal("prometheus/v1"),
  service: z.string().min(1),
  labels,
  slo_plugins: z.unknown().optional(),
  slos: z.array(SlothSlo).min(1, { message: "expected at least one SLO" }),
});

function sliOf(slo: z.infer<typeof SlothSlo>, where: string) {
  if (slo.sli.events) {
    const { error_query, total_query } = slo.sli.events;
    return sliFromQueries({ bad: error_query, total: total_query }, (part) => `${where}.events.${part === "bad" ? "error_query" : "total_query"}`);
  }
  if (slo.sli.raw !== undefined)
    throw new Error(
      `${where}.raw: a precomputed error ratio cannot be weighed against the load's own requests; use sli.events with error_query and total_query`,
    );
  if (slo.sli.plugin !== undefined)
    throw new Error(`${where}.plugin: SLI plugins run inside Sloth; write the plugin's queries as sli.events with error_query and total_query`);
  throw new Error(`${where}: expected events with error_query and total_query, like error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))`);
}

export const SLOTH_PROMETHEUS_V1: SloFormat = {
  label: 'Sloth (version: "prometheus/v1")',
  matches: (doc) => doc.version === "prometheus/v1",
  read(raw, source): SloDefinition[] {
    const spec = parseWith(SlothSpecSchema, raw, source);
    return spec.slos.map((slo, i) => {
      const enabled = (alert: { disable?: boolean } | undefined) => !alert?.disable;
      const policy = SLOTH_POLICY.filter((p) => enabled(p.severity === "page" ? slo.alerting?.page_alert : slo.alerting?.ticket_alert));
      if (policy.length === 0)
        throw new Error(`${source}: slos[${i}].alerting: both page_alert and ticket_alert are disabled, so there is no burn-rate alert to check; enable one`);
      return {
        name: slo.name,
        service: spec.service,
        description: slo.description,
        objective: Number((slo.objective / 100).toPrecision(12)),
        // Sloth's default period: the spec has no field for it.
        ...sloPeriod("30d", `${source}: slos[${i}]`),
        sli: sliOf(slo, `${source}: slos[${i}].sli`),
        clientErrors: "5xx",
        source: spec.slos.length > 1 ? `${source} (slos[${i}])` : source,
        alertPolicy: policy,
        ...(slo.alerting?.name ? { alertName: slo.alerting.name } : {}),
      };
    });
  },
};
