import type { PrometheusClient } from "../clients/index.js";
import { COLLECTOR_JOB } from "../monitoring-checks.js";
import { formatValue } from "../utils/comparator.js";
import { counterDeltas, total, type CounterDelta } from "./counter-delta.js";
import { faultNote, offset, type Hop, type PathContext } from "./diagnosis.js";
import { presenceOf } from "./series-presence.js";
import { collectorTakes, type TelemetryKind } from "./collector-pipeline.js";

export type { TelemetryKind } from "./collector-pipeline.js";
const WORD: Record<TelemetryKind, string> = { spans: "spans", log_records: "log records" };

/** A share this small of refused or failed items is noise (a retry), not where a signal was lost. */
const NOISE = 0.01;

/**
 * The collector's hops for traces or logs, from its own counters over the window: was it up;
 * did the service send it anything (SDK → receiver); did its receiver or memory_limiter refuse
 * what came; did its exporter deliver to the backend or fail. Counters are read per series, so
 * the collector's own restart does not hide what it lost.
 */
export async function collectorHops(prometheus: PrometheusClient, kind: TelemetryKind, ctx: PathContext, job = COLLECTOR_JOB): Promise<Hop[]> {
  const word = WORD[kind];
  const up = await presenceOf(prometheus, `up{job=${JSON.stringify(job)}} == 1`, ctx.from, ctx.to);
  const known = await prometheus.query(`count(up{job=${JSON.stringify(job)}})`, ctx.to);
  if (!known[0])
    return [
      { hop: "collector", status: "unknown", detail: `Prometheus does not scrape the collector's own metrics (no job ${job}): its hops cannot be checked` },
    ];
  if (up.presentSteps === 0)
    return [
      {
        hop: "collector",
        status: "stopped",
        detail: `the collector was down for the whole window (its own metrics, job ${job}, could not be scraped)${faultNote(ctx.faults, ctx.from, ctx.to)}`,
      },
    ];
  const hops: Hop[] = [];
  const down = up.gaps.filter((g) => g.to.getTime() - g.from.getTime() > 2 * up.stepS * 1000);
  // Down at the window's end, its counters cannot be read, and what it lost since is lost with them.
  const atEnd = down.find((g) => g.to.getTime() >= ctx.to.getTime());
  if (atEnd)
    return [
      {
        hop: "collector",
        status: "stopped",
        detail: `the collector was down from ${offset(atEnd.from, ctx.origin)} to the end of the window (its own metrics, job ${job}, could not be scraped)${faultNote(ctx.faults, atEnd.from, ctx.to)}`,
      },
    ];
  hops.push({
    hop: "collector",
    status: "reached",
    detail: down.length
      ? `up, but down ${down
          .slice(0, 3)
          .map((g) => `${offset(g.from, ctx.origin)}–${offset(g.to, ctx.origin)}${faultNote(ctx.faults, g.from, g.to)}`)
          .join("; ")}`
      : "up throughout the window",
  });

  const selector = `{job=${JSON.stringify(job)}, __name__=~"otelcol_(receiver_(accepted|refused|failed)|exporter_(sent|send_failed|enqueue_failed)|processor_[a-z_]*(refused|dropped))_${kind}(_total)?"}`;
  const deltas = await counterDeltas(prometheus, selector, ["receiver", "exporter", "processor"], ctx.from, ctx.to);
  const accepted = total(deltas, `receiver_accepted_${kind}`);
  const refused = total(deltas, `receiver_refused_${kind}`) + total(deltas, `receiver_failed_${kind}`);
  if (accepted === 0 && refused === 0) {
    const takes = await collectorTakes(ctx.endpoints.collector, kind);
    const detail =
      takes === false
        ? `the collector has no pipeline for ${word} (its OTLP receiver answers 404 for them), so what the service sends is refused at the door`
        : `the collector received no ${word} during the window${takes ? " though it takes them" : ""}: the service sent none (sampling, instrumentation, or its OTLP endpoint)`;
    hops.push({ hop: "SDK → collector", status: "stopped", detail });
    return hops;
  }
  const processorLoss = deltas.filter((d) => /processor_.*(refused|dropped)/.test(d.name) && d.delta > 0);
  if (refused > NOISE * (accepted + refused) || processorLoss.length) {
    const where = [
      ...listed(deltas, /receiver_(refused|failed)/, "receiver"),
      ...processorLoss.map(
        (d) =>
          `processor ${d.labels.processor || d.name.replace(/^otelcol_processor_/, "")} ${d.name.includes("dropped") ? "dropped" : "refused"} ${formatValue(d.delta)}`,
      ),
    ];
    hops.push({
      hop: "collector receiver",
      status: "stopped",
      detail: `the collector refused ${word} it was sent: ${where.join("; ")} (accepted ${formatValue(accepted)})`,
    });
    return hops;
  }
  hops.push({
    hop: "collector receiver",
    status: "reached",
    detail: `accepted ${formatValue(accepted)} ${word}${refused ? `, refused ${formatValue(refused)}` : ""}`,
  });

  const sent = total(deltas, `exporter_sent_${kind}`);
  const failed = total(deltas, `exporter_send_failed_${kind}`) + total(deltas, `exporter_enqueue_failed_${kind}`);
  if (failed > NOISE * (sent + failed)) {
    hops.push({
      hop: "collector exporter",
      status: "stopped",
      detail: `the exporter could not deliver: ${listed(deltas, /exporter_(send|enqueue)_failed/, "exporter").join("; ")} (sent ${formatValue(sent)})`,
    });
    return hops;
  }
  if (sent === 0) {
    // An exporter retries what its backend refuses, so failures show as a growing sending queue long before they are counted as failed.
    const queued = await prometheus.query(`sum by (exporter) ({job=${JSON.stringify(job)}, __name__=~"otelcol_exporter_queue_size"}) > 0`, ctx.to);
    const waiting = queued.map(
      (q) => `exporter ${q.metric.exporter ?? "?"} has ${formatValue(q.value)} waiting in its sending queue, retrying: its backend is not taking them`,
    );
    const detail = waiting.length
      ? `nothing of the ${formatValue(accepted)} ${word} accepted was delivered; ${waiting.join("; ")}`
      : `no exporter sent any ${word} on (accepted ${formatValue(accepted)}): is the pipeline wired to an exporter?`;
    hops.push({ hop: "collector exporter", status: "stopped", detail });
    return hops;
  }
  hops.push({ hop: "collector exporter", status: "reached", detail: `${listed(deltas, /exporter_sent/, "exporter").join("; ")}` });
  return hops;
}

const VERBS: [RegExp, string][] = [
  [/send_failed/, "failed to send"],
  [/enqueue_failed/, "could not queue"],
  [/_sent_/, "sent"],
  [/refused/, "refused"],
  [/failed/, "failed"],
];

/** "exporter otlp/jaeger failed to send 1 200" */
function listed(deltas: CounterDelta[], name: RegExp, by: string): string[] {
  return deltas
    .filter((d) => name.test(d.name) && d.delta > 0)
    .map((d) => `${by} ${d.labels[by] || "?"} ${VERBS.find(([re]) => re.test(d.name))?.[1] ?? d.name} ${formatValue(d.delta)}`);
}
