import { OpenSloSchema } from "../openslo-schema.js";
import type { SloDefinition } from "../slo-definition.js";
import { clientErrorsFrom, sloPeriod } from "../utils/slo-fields.js";
import { sliFromQueries } from "./sli-from-queries.js";
import { parseWith, type SloFormat } from "./slo-format.js";

export const OPENSLO_V1: SloFormat = {
  label: "OpenSLO v1 (apiVersion: openslo/v1)",
  matches: (doc) => doc.apiVersion === "openslo/v1",
  read(raw, source): SloDefinition[] {
    const doc = parseWith(OpenSloSchema, raw, source);
    const objective = doc.spec.objectives[0]!;
    const target = objective.target ?? (objective.targetPercent !== undefined ? objective.targetPercent / 100 : undefined);
    if (target === undefined) throw new Error(`${source}: spec.objectives[0]: expected target (e.g. 0.99) or targetPercent (e.g. 99)`);
    const ratio = doc.spec.indicator.spec.ratioMetric;
    const query = (part: "good" | "bad" | "total") => ratio[part]?.metricSource.spec.query;
    return [
      {
        name: doc.metadata.name,
        service: doc.spec.service,
        description: doc.spec.description,
        objective: target,
        ...sloPeriod(doc.spec.timeWindow[0]!.duration, `${source}: spec.timeWindow[0].duration`),
        sli: sliFromQueries(
          { good: query("good"), bad: query("bad"), total: query("total")! },
          (part) => `${source}: spec.indicator.spec.ratioMetric.${part}.metricSource.spec.query`,
        ),
        clientErrors: clientErrorsFrom(doc.metadata.annotations, `${source}: metadata`),
        source,
      },
    ];
  },
};
