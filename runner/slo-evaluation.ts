import type { Endpoints } from "../core/environment.js";
import { PrometheusClient } from "../assertions/clients/prometheus-client.js";
import { bucketsFromRequests, evaluateSlo, type SloDefinition } from "../assertions/slo/index.js";
import type { LoadCollector } from "../scenarios/load-collector.js";
import type { FaultResult, SloResult } from "../core/report-schema.js";

export interface SloRunInput {
  endpoints: Endpoints;
  collector: LoadCollector | undefined;
  start: Date;
  end: Date;
  faults: FaultResult[];
  /** The run's rules were time-compressed by this factor; budgets are spent against the compressed period too. */
  timeCompression: number;
}

/** Each SLO of the experiment both ways, client-side from the load's own requests and server-side from Prometheus. */
export async function evaluateRunSlos(slos: readonly SloDefinition[], input: SloRunInput): Promise<{ results: SloResult[]; errors: string[] }> {
  const prometheus = new PrometheusClient(input.endpoints.prometheus, 5000, input.endpoints.access?.prometheus);
  const requests = (input.collector?.sentRequests() ?? []).map((r) => ({ at: r.sentAt.getTime(), durationMs: r.latencyMs, status: r.status }));
  const faults = input.faults.flatMap((f) =>
    f.injectedAt && f.rolledBackAt ? [{ id: f.id, start: new Date(f.injectedAt), end: new Date(f.rolledBackAt) }] : [],
  );
  const results: SloResult[] = [];
  const errors: string[] = [];
  for (const slo of slos) {
    const evaluation = await evaluateSlo({
      slo,
      start: input.start,
      end: input.end,
      faults,
      ...(input.collector ? { client: bucketsFromRequests(requests, slo) } : {}),
      prometheus,
      timeCompression: input.timeCompression,
    });
    results.push(evaluation.result);
    errors.push(...evaluation.errors);
  }
  return { results, errors };
}
