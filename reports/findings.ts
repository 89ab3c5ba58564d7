import type { ExpectationResult, Report } from "../core/report-schema.js";
import { classifySeries } from "./html/series-kind.js";
import { productionPage } from "./production-page.js";
import { formatMs, formatPercent, formatSeconds, secondsBetween } from "./utils/format.js";

/** What a stakeholder should know beyond the verdict, each in plain words; pure, from report.json alone. */
export interface Finding {
  kind: "client-server-gap" | "near-deadline" | "budget-before-page" | "alert-kept-firing";
  /** Plain text; renderers escape it. */
  text: string;
}

/**
 * Limits of what is worth saying. A gap under 5 points between what users saw and what the
 * server counted is sampling noise over a minute of load, and so is a p99 under twice (or within
 * 100 ms of) the other side's, since both are estimates (Vegeta's of its samples, the server's
 * interpolated inside a histogram bucket); a signal that used 80 % of its
 * deadline would miss it after one more scrape or evaluation interval on a slower day; an alert
 * still firing 5 production minutes after the last fault was undone pages someone for nothing.
 */
export const FINDING_LIMITS = { gap: 0.05, deadlineShare: 0.8, resetSeconds: 300, minResetSeconds: 30, latencyRatio: 2, latencyMs: 100 };

export function findFindings(report: Report): Finding[] {
  return [...clientServerGaps(report), ...latencyGaps(report), ...nearDeadline(report), ...budgetBeforePage(report), ...alertsKeptFiring(report)];
}

/**
 * Users' p99 against the server's, over the second half of each fault (the first half is the
 * server's rate window catching up): the median of each side's p99 there. Only a server series
 * that is a p99 is compared, so like meets like.
 */
function latencyGaps({ load, series, faults }: Report): Finding[] {
  const server = Object.entries(series).find(([name]) => classifySeries(name).panel === "latency" && /p99|0\.99/.test(name));
  if (!load || !server) return [];
  const [name, points] = server;
  const scale = classifySeries(name).scale;
  return faults.flatMap((f) => {
    if (!f.injectedAt || !f.rolledBackAt) return [];
    const from = (Date.parse(f.injectedAt) + Date.parse(f.rolledBackAt)) / 2;
    const to = Date.parse(f.rolledBackAt);
    const client = median(load.samples.filter((s) => s.requests > 0 && Date.parse(s.t) >= from && Date.parse(s.t) < to).map((s) => s.p99));
    const serverMs = median(points.filter(([t]) => t * 1000 >= from && t * 1000 <= to).map(([, v]) => v * scale));
    if (client === undefined) return [];
    if (serverMs === undefined) {
      // No value while the series had values the rest of the run: no request finished inside the application.
      const usual = median(points.map(([, v]) => v * scale));
      if (usual === undefined || client - usual <= FINDING_LIMITS.latencyMs || client < usual * FINDING_LIMITS.latencyRatio) return [];
      return [
        {
          kind: "client-server-gap" as const,
          text:
            `While ${f.id} was in place, users' p99 latency was ${formatMs(client)}, but the server's p99 (${name}) had no value at all (${formatMs(usual)} the rest of the run): ` +
            `no request finished inside the application, so a latency alert on the server's histogram cannot see this slowdown.`,
        },
      ];
    }
    const [hi, lo] = client >= serverMs ? [client, serverMs] : [serverMs, client];
    if (hi - lo <= FINDING_LIMITS.latencyMs || hi < lo * FINDING_LIMITS.latencyRatio) return [];
    return [
      {
        kind: "client-server-gap" as const,
        text:
          client > serverMs
            ? `While ${f.id} was in place, users' p99 latency was ${formatMs(client)} but the server measured ${formatMs(serverMs)} (${name}): ` +
              `the time was spent before the application's timer started (queued for a connection or a worker), so a latency alert on the server's histogram under-reports this slowdown.`
            : `While ${f.id} was in place, the server measured a p99 of ${formatMs(serverMs)} but users saw ${formatMs(client)} (${name}): ` +
              `requests the load generator gave up on kept running in the application, so the server's latency over-reports what users waited.`,
      },
    ];
  });
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function clientServerGaps({ slos, timeline }: Report): Finding[] {
  const out: Finding[] = [];
  for (const slo of slos) {
    // A query that failed leaves a note; without one, a missing ratio means the server counted no request at all.
    const serverQueryFailed =
      slo.server.errorRatio === null || timeline.some((e) => e.kind === "note" && String(e.data?.message ?? "").startsWith(`${slo.name}: server-side SLI`));
    for (const f of slo.perFault) {
      if (f.clientErrorRatio === null) continue;
      if (f.serverErrorRatio === null) {
        if (serverQueryFailed || f.clientErrorRatio <= FINDING_LIMITS.gap) continue;
        out.push({
          kind: "client-server-gap",
          text:
            `While ${f.faultId} was in place, users saw ${formatPercent(f.clientErrorRatio)} of requests fail, but the server's metrics counted no request at all (${slo.name}): ` +
            `the requests never completed inside the application (queued, timed out or refused first), so an alert on the server's error ratio cannot see this failure.`,
        });
        continue;
      }
      const gap = f.clientErrorRatio - f.serverErrorRatio;
      // Rounded so that 0.90 - 0.85 counts as the 5 points it is, not 5.000000000000004.
      if (Math.round(Math.abs(gap) * 1e9) <= FINDING_LIMITS.gap * 1e9) continue;
      out.push({
        kind: "client-server-gap",
        text:
          gap > 0
            ? `While ${f.faultId} was in place, users saw ${formatPercent(f.clientErrorRatio)} of requests fail, but the server counted ${formatPercent(f.serverErrorRatio)} (${slo.name}): ` +
              `the difference never reached the server's metrics (requests queued, timed out or refused before the application counted them), so alerts on the server's ratio under-report this failure.`
            : `While ${f.faultId} was in place, the server counted ${formatPercent(f.serverErrorRatio)} of requests as failed but users saw ${formatPercent(f.clientErrorRatio)} fail (${slo.name}): ` +
              `the server's metrics over-report this failure (retries, or errors the users never received).`,
      });
    }
  }
  return out;
}

function nearDeadline({ expectations }: Report): Finding[] {
  return expectations.flatMap((e) => {
    if (e.verdict !== "pass" || e.kind !== "appears" || !e.anchorAt || !e.deadlineAt || e.detectionLatencySeconds === undefined) return [];
    const allowed = secondsBetween(e.anchorAt, e.deadlineAt);
    if (!allowed || allowed <= 0 || e.detectionLatencySeconds / allowed < FINDING_LIMITS.deadlineShare) return [];
    return [
      {
        kind: "near-deadline" as const,
        text:
          `${e.id} passed with ${formatSeconds(allowed - e.detectionLatencySeconds)} to spare: seen after ${formatSeconds(e.detectionLatencySeconds)} of the ${formatSeconds(allowed)} allowed ` +
          `(${formatPercent(e.detectionLatencySeconds / allowed)}); one slower scrape or evaluation would fail it.`,
      },
    ];
  });
}

/** The page: the first alert expectation that passed. */
function firstPage(expectations: ExpectationResult[]): ExpectationResult | undefined {
  return expectations
    .filter((e) => e.signal === "alert" && e.kind === "appears" && e.verdict === "pass" && e.firstSeenAt)
    .sort((a, b) => a.firstSeenAt!.localeCompare(b.firstSeenAt!))[0];
}

/**
 * The share of the run's budget spent before the page, as the users' failed requests accrued it:
 * the client's budget figure times the fraction of failed requests answered before the page.
 */
function budgetBeforePage(report: Report): Finding[] {
  const { expectations, load, slos, environment } = report;
  const page = firstPage(expectations);
  const slo = slos[0];
  const consumed = slo?.client.budgetConsumed;
  if (!page || !load || !slo || consumed === null || consumed === undefined || load.errors === 0) return [];
  const pagedAt = Date.parse(page.firstSeenAt!);
  const before = load.samples.filter((s) => Date.parse(s.t) < pagedAt).reduce((sum, s) => sum + s.errors, 0);
  const total = load.samples.reduce((sum, s) => sum + s.errors, 0);
  if (total === 0 || before === 0) return [];
  const burned = consumed * (before / total);
  const replayed = productionPage(report, slo.name);
  const scaled = !environment.rules.compressed
    ? ""
    : replayed?.budgetAtDetection !== undefined
      ? ` The alert rules were compressed ×${environment.rules.factor}; replayed at production scale, ${replayed.alert} pages after ${formatSeconds(replayed.detectionSeconds)} with ${formatPercent(replayed.budgetAtDetection)} of the budget spent.`
      : ` The alert rules were compressed ×${environment.rules.factor}, so in production the page comes later and more budget is gone by then.`;
  return [
    {
      kind: "budget-before-page",
      text: `${formatPercent(burned)} of ${slo.name}'s error budget was spent before ${page.id} paged (${formatPercent(before / total)} of the failed requests came before the page).${scaled}`,
    },
  ];
}

function alertsKeptFiring({ alerts, faults, endedAt, environment, production }: Report): Finding[] {
  const undone = faults.map((f) => f.rolledBackAt).filter((t): t is string => Boolean(t));
  if (undone.length === 0 || undone.length < faults.filter((f) => f.injectedAt).length) return [];
  const recovered = undone.sort().at(-1)!;
  const limit = Math.max(FINDING_LIMITS.minResetSeconds, FINDING_LIMITS.resetSeconds / (environment.rules.compressed ? environment.rules.factor : 1));
  return alerts.flatMap((a) => {
    const until = a.resolvedAt ?? endedAt;
    const after = secondsBetween(recovered, until) ?? 0;
    if (after <= limit) return [];
    const still = a.resolvedAt ? `resolved ${formatSeconds(after)} after` : `was still firing when the run ended, ${formatSeconds(after)} after`;
    const replayed = production?.alerts.find((p) => p.alert === a.name && p.resetSeconds !== undefined);
    const inProduction = replayed ? ` Replayed at production scale it resets ${formatSeconds(replayed.resetSeconds)} after the fault.` : "";
    return [
      {
        kind: "alert-kept-firing" as const,
        text: `${a.name} ${still} the last fault was rolled back: whoever it paged keeps looking at a problem that is over (its long window or \`for\` holds it; the limit here is ${formatSeconds(limit)}).${inProduction}`,
      },
    ];
  });
}
