import { z } from "zod";

/**
 * The subset of OpenSLO v1 the harness reads: a `kind: SLO` with an inline ratio indicator
 * over Prometheus, one rolling time window, Occurrences budgeting and one objective.
 * Harness settings ride in metadata.annotations under "slo-harness/".
 */
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'expected a kebab-case name like "analysis-availability-99"' });

const PrometheusSource = z.strictObject({
  metricSource: z.strictObject({
    type: z.string().refine((t) => t.toLowerCase() === "prometheus", { message: 'only metricSource type "Prometheus" is supported' }),
    spec: z.strictObject({ query: z.string().min(1) }),
  }),
});

export const OpenSloSchema = z.strictObject({
  apiVersion: z.literal("openslo/v1"),
  kind: z.literal("SLO"),
  metadata: z.strictObject({
    name: id,
    displayName: z.string().optional(),
    labels: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.strictObject({
    description: z.string().optional(),
    service: z.string().min(1),
    indicator: z.strictObject({
      metadata: z.strictObject({ name: z.string().min(1), displayName: z.string().optional() }),
      spec: z.strictObject({
        ratioMetric: z
          .strictObject({
            counter: z.boolean().default(true),
            good: PrometheusSource.optional(),
            bad: PrometheusSource.optional(),
            total: PrometheusSource,
          })
          .refine((r) => (r.good === undefined) !== (r.bad === undefined), { message: "give exactly one of good or bad, next to total" }),
      }),
    }),
    timeWindow: z
      .array(z.strictObject({ duration: z.string(), isRolling: z.literal(true, { message: "only rolling windows are supported" }) }))
      .length(1, { message: "expected exactly one time window" }),
    budgetingMethod: z.literal("Occurrences", { message: 'only budgetingMethod "Occurrences" is supported' }),
    objectives: z
      .array(
        z.strictObject({ displayName: z.string().optional(), target: z.number().gt(0).lt(1).optional(), targetPercent: z.number().gt(0).lt(100).optional() }),
      )
      .length(1, { message: "expected exactly one objective" }),
    alertPolicies: z.array(z.unknown()).optional(),
  }),
});

export type OpenSlo = z.infer<typeof OpenSloSchema>;

export const ANNOTATION_CLIENT_ERRORS = "slo-harness/client-errors";
