import { z } from "zod";
import { SLOTH_POLICY } from "../burn-rate-policy.js";
import type { SloDefinition } from "../slo-definition.js";
import { SLO_NAME, SLO_NAME_MESSAGE, clientErrorsFrom, sloPeriod } from "../utils/slo-fields.js";
import { sliFromQueries } from "./sli-from-queries.js";
import { parseWith, type SloFormat } from "./slo-format.js";

/**
 * OpenSLO v1alpha as Sloth reads it (its examples/openslo-getting-started.yml): ratio objectives
 * with inline Prometheus queries, one rolling window counted in days or weeks.
 */
const MetricSource = z.strictObject({
  source: z.string().refine((s) => ["prometheus", "sloth"].includes(s.toLowerCase()), { message: 'only source "prometheus" is supported' }),
  queryType: z.string().refine((t) => t.toLowerCase() === "promql", { message: 'only queryType "promql" is supported' }),
  query: z.string().min(1),
});

const Objective = z.strictObject({
  displayName: z.string().optional(),
  value: z.number().optional(),
  op: z.string().optional(),
  target: z.number().gt(0).lt(1, { message: "expected a ratio below 1, like 0.999 for 99.9 %" }),
  timeSliceTarget: z.number().optional(),
  ratioMetrics: z
    .strictObject({ counter: z.boolean().optional(), good: MetricSource.optional(), bad: MetricSource.optional(), total: MetricSource })
    .refine((r) => (r.good === undefined) !== (r.bad === undefined), { message: "give exactly one of good or bad, next to total" }),
});

const UNIT_MS = { Second: 1000, Day: 86_400_000, Week: 7 * 86_400_000 } as const;

const TimeWindow = z.strictObject({
  count: z.number().int().positive(),
  unit: z.enum(["Second", "Day", "Week", "Month", "Quarter"]),
  isRolling: z.boolean().optional(),
  calendar: z.unknown().optional(),
});

export const OpenSloV1AlphaSchema = z.strictObject({
  apiVersion: z.literal("openslo/v1alpha"),
  kind: z.literal("SLO", { message: 'expected kind "SLO" (a Service document holds no objective)' }),
  metadata: z.strictObject({
    name: z.string().regex(SLO_NAME, { message: SLO_NAME_MESSAGE }),
    displayName: z.string().optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.strictObject({
    description: z.string().optional(),
    service: z.string().min(1),
    budgetingMethod: z.literal("Occurrences", { message: 'only budgetingMethod "Occurrences" is supported' }).optional(),
    indicator: z.unknown().optional(),
    timeWindows: z.array(TimeWindow).length(1, { message: "expected exactly one time window" }).optional(),
    objectives: z.array(Objective).min(1, { message: "expected at least one objective with ratioMetrics and target" }),
  }),
});

function periodOf(window: z.infer<typeof TimeWindow> | undefined, where: string) {
  // Sloth's default period when a document gives none.
  if (!window) return sloPeriod("30d", where);
  if (window.calendar !== undefined || window.isRolling === false)
    throw new Error(`${where}: only rolling windows are supported; drop calendar and isRolling: false`);
  if (window.unit === "Month" || window.unit === "Quarter")
    throw new Error(`${where}.unit: a ${window.unit} has no fixed length; use count: 30 with unit: Day (or count: 4 with unit: Week)`);
  return sloPeriod(`${(window.count * UNIT_MS[window.unit]) / 1000}s`, where);
}

export const OPENSLO_V1ALPHA: SloFormat = {
  label: "OpenSLO v1alpha (apiVersion: openslo/v1alpha), as Sloth reads it",
  matches: (doc) => doc.apiVersion === "openslo/v1alpha",
  read(raw, source): SloDefinition[] {
    const doc = parseWith(OpenSloV1AlphaSchema, raw, source);
    if (doc.spec.indicator !== undefined)
      throw new Error(
        `${source}: spec.indicator: threshold SLIs (thresholdMetric) are not supported; give each objective ratioMetrics with good (or bad) and total`,
      );
    const period = periodOf(doc.spec.timeWindows?.[0], `${source}: spec.timeWindows[0]`);
    const objectives = doc.spec.objectives;
    return objectives.map((objective, i) => {
      const where = `${source}: spec.objectives[${i}].ratioMetrics`;
      const r = objective.ratioMetrics;
      return {
        // Sloth makes one SLO per objective, named <name>-<index>; a single objective keeps the document's name.
        name: objectives.length === 1 ? doc.metadata.name : `${doc.metadata.name}-${i}`,
        service: doc.spec.service,
        description: doc.spec.description,
        objective: objective.target,
        ...period,
        sli: sliFromQueries({ good: r.good?.query, bad: r.bad?.query, total: r.total.query }, (part) => `${where}.${part}.query`),
        clientErrors: clientErrorsFrom(doc.metadata.annotations, `${source}: metadata`),
        source,
        alertPolicy: SLOTH_POLICY,
      };
    });
  },
};
