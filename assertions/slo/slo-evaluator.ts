import type { SloResult } from "../../core/report-schema.js";
import type { PrometheusClient } from "../clients/prometheus-client.js";
import { sumBuckets, type ClientBucket } from "./client-sli.js";
import { budgetConsumed, burnRate } from "./error-budget.js";
import { serverBurnRateSeries, serverErrorRatio } from "./server-sli.js";
import { errorBudget, type SloDefinition } from "./slo-definition.js";

export interface SloRunInput {
  slo: SloDefinition;
  start: Date;
  end: Date;
  faults: { id: string; start: Date; end: Date }[];
  /** Client-side events; absent when the load generator could not classify them for this SLI. */
  client?: readonly ClientBucket[];
  prometheus?: PrometheusClient;
  /**
   * The run's rules were time-compressed by this factor: budgets are then spent against the
   * compressed period, the same arithmetic the compressed rules do.
   */
  timeCompression?: number;
  /** Window of the burn-rate chart series; default 5m divided by the compression. */
  burnWindow?: string;
}

export interface SloEvaluation {
  result: SloResult;
  /** Why a side is missing, e.g. "Prometheus unreachable: ...". */
  errors: string[];
}

function sides(errorRatio: number | null, durationMs: number, budget: number, periodMs: number) {
  if (errorRatio === null) return { sli: null, errorRatio: null, budgetConsumed: null, burnRate: null };
  return { sli: 1 - errorRatio, errorRatio, budgetConsumed: budgetConsumed(errorRatio, durationMs, budget, periodMs), burnRate: burnRate(errorRatio, budget) };
}

function clientRatio(client: readonly ClientBucket[] | undefined, from: Date, to: Date): number | null {
  if (!client) return null;
  const { total, bad } = sumBuckets(client, from.getTime(), to.getTime());
  return total > 0 ? bad / total : null;
}

/**
 * One SLO over one run, both ways: client-side from what the load generator saw and
 * server-side from Prometheus, for the whole run and per fault window, with their gap.
 */
export async function evaluateSlo(input: SloRunInput): Promise<SloEvaluation> {
  const { slo, start, end } = input;
  const budget = errorBudget(slo);
  const factor = input.timeCompression ?? 1;
  const periodMs = slo.periodMs / factor;
  const errors: string[] = [];
  const server = async (from: Date, to: Date) => {
    if (!input.prometheus) return { errorRatio: null, query: "" };
    try {
      return await serverErrorRatio(input.prometheus, slo, from, to);
    } catch (err) {
      errors.push(`${slo.name}: server-side SLI ${from.toISOString()}..${to.toISOString()}: ${(err as Error).message}`);
      return { errorRatio: null, query: "" };
    }
  };
  const durationMs = end.getTime() - start.getTime();
  const clientRun = clientRatio(input.client, start, end);
  const serverRun = await server(start, end);
  if (!input.client) errors.push(`${slo.name}: no client-side events for this ${slo.sli.kind} SLI`);
  const perFault = [];
  for (const f of input.faults) {
    const c = clientRatio(input.client, f.start, f.end);
    const s = await server(f.start, f.end);
    const ratio = s.errorRatio ?? c;
    perFault.push({
      faultId: f.id,
      clientErrorRatio: c,
      serverErrorRatio: s.errorRatio,
      budgetConsumed: ratio === null ? null : budgetConsumed(ratio, f.end.getTime() - f.start.getTime(), budget, periodMs),
    });
  }
  let burnRateSeries: [number, number][] | undefined;
  if (input.prometheus) {
    const window = input.burnWindow ?? `${Math.max(1, Math.round(300 / factor))}s`;
    try {
      burnRateSeries = await serverBurnRateSeries(input.prometheus, slo, budget, start, end, window);
    } catch (err) {
      errors.push(`${slo.name}: burn-rate series: ${(err as Error).message}`);
    }
  }
  return {
    result: {
      name: slo.name,
      objective: Number((slo.objective * 100).toPrecision(10)),
      client: sides(clientRun, durationMs, budget, periodMs),
      server: { ...sides(serverRun.errorRatio, durationMs, budget, periodMs), query: serverRun.query },
      discrepancy: clientRun !== null && serverRun.errorRatio !== null ? Math.abs(clientRun - serverRun.errorRatio) : null,
      perFault,
      ...(burnRateSeries ? { burnRateSeries } : {}),
    },
    errors,
  };
}
