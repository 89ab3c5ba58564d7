import { z } from "zod";
import type { SloDefinition } from "../slo-definition.js";
import { parsePromql, vectorSelectors } from "../utils/promql-tree.js";
import { SLO_NAME, SLO_NAME_MESSAGE, clientErrorsFrom, sloPeriod } from "../utils/slo-fields.js";
import { sliFromQueries } from "./sli-from-queries.js";
import { parseWith, type SloFormat } from "./slo-format.js";

/**
 * Pyrra's ServiceLevelObjective (kubernetes/api/v1alpha1): the indicator names metric selectors
 * and Pyrra builds the rates itself, so the harness does as Pyrra does:
 * `sum(rate(<selector>[window]))`.
 */
const Metric = z.strictObject({ metric: z.string().min(1) });
const grouping = z.array(z.string()).optional();

export const PyrraSchema = z.strictObject({
  apiVersion: z.literal("pyrra.dev/v1alpha1"),
  kind: z.literal("ServiceLevelObjective"),
  // Kubernetes fills metadata with fields of its own (uid, creationTimestamp, ...): only these are read.
  metadata: z.object({
    name: z.string().regex(SLO_NAME, { message: SLO_NAME_MESSAGE }),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.strictObject({
    description: z.string().optional(),
    target: z.string().regex(/^\d+(\.\d+)?$/, { message: 'expected a percentage as a string, like "99.9"' }),
    window: z.string().min(1),
    indicator: z.strictObject({
      ratio: z.strictObject({ errors: Metric, total: Metric, grouping }).optional(),
      latency: z.strictObject({ success: Metric, total: Metric, grouping }).optional(),
      latencyNative: z.unknown().optional(),
      bool_gauge: z.unknown().optional(),
    }),
    alerting: z
      .strictObject({
        disabled: z.boolean().optional(),
        burnrates: z.boolean().optional(),
        absent: z.boolean().optional(),
        name: z.string().optional(),
        absentName: z.string().optional(),
      })
      .optional(),
    partial_response_strategy: z.string().optional(),
  }),
});

type Indicator = z.infer<typeof PyrraSchema>["spec"]["indicator"];

/** A Pyrra metric is one vector selector; anything else would not survive being wrapped in rate(). */
function rateOf(metric: string, where: string): string {
  let selectors;
  try {
    selectors = vectorSelectors(parsePromql(metric));
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
  if (selectors.length !== 1 || !/^[^()[\]]+$/.test(metric.trim()))
    throw new Error(`${where}: expected one metric selector, like http_requests_total{job="api",code=~"5.."}; got ${metric.trim()}`);
  return `sum(rate(${metric.trim()}[{{window}}]))`;
}

function sliOf(indicator: Indicator, where: string) {
  for (const other of ["latencyNative", "bool_gauge"] as const)
    if (indicator[other] !== undefined)
      throw new Error(
        `${where}.${other}: Pyrra's ${other} indicator is not supported; use indicator.ratio (errors, total) or indicator.latency (success, total)`,
      );
  const kinds = [indicator.ratio && "ratio", indicator.latency && "latency"].filter(Boolean);
  if (kinds.length !== 1) throw new Error(`${where}: expected exactly one of ratio or latency, got ${kinds.length ? kinds.join(" and ") : "neither"}`);
  const part = indicator.ratio ?? indicator.latency!;
  const key = indicator.ratio ? "ratio" : "latency";
  if (part.grouping?.length)
    throw new Error(
      `${where}.${key}.grouping: grouped SLOs (one per ${part.grouping.join(", ")}) are not supported; drop grouping, or write one SLO per group with its label in the selectors`,
    );
  if (indicator.ratio)
    return sliFromQueries(
      {
        bad: rateOf(indicator.ratio.errors.metric, `${where}.ratio.errors.metric`),
        total: rateOf(indicator.ratio.total.metric, `${where}.ratio.total.metric`),
      },
      (p) => `${where}.ratio.${p === "bad" ? "errors" : "total"}.metric`,
    );
  const latency = indicator.latency!;
  const sli = sliFromQueries(
    { good: rateOf(latency.success.metric, `${where}.latency.success.metric`), total: rateOf(latency.total.metric, `${where}.latency.total.metric`) },
    (p) => `${where}.latency.${p === "good" ? "success" : "total"}.metric`,
  );
  if (sli.kind !== "latency")
    throw new Error(`${where}.latency.success.metric: expected a histogram bucket with le, like http_request_duration_seconds_bucket{le="0.5"}`);
  return sli;
}

export const PYRRA_V1ALPHA1: SloFormat = {
  label: "Pyrra (apiVersion: pyrra.dev/v1alpha1, kind: ServiceLevelObjective)",
  matches: (doc) => doc.apiVersion === "pyrra.dev/v1alpha1",
  read(raw, source): SloDefinition[] {
    const doc = parseWith(PyrraSchema, raw, source);
    const target = Number(doc.spec.target);
    if (!(target >= 1 && target < 100))
      throw new Error(`${source}: spec.target: a percentage from 1 to below 100, like "99.9" for 99.9 %; got "${doc.spec.target}"`);
    return [
      {
        name: doc.metadata.name,
        service: doc.metadata.name,
        description: doc.spec.description || undefined,
        objective: Number((target / 100).toPrecision(12)),
        ...sloPeriod(doc.spec.window, `${source}: spec.window`),
        sli: sliOf(doc.spec.indicator, `${source}: spec.indicator`),
        clientErrors: clientErrorsFrom(doc.metadata.annotations, `${source}: metadata`),
        source,
        ...(doc.spec.alerting?.name ? { alertName: doc.spec.alerting.name } : {}),
      },
    ];
  },
};
