import { setMaxListeners } from "node:events";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { StartedEnvironment } from "../core/environment.js";
import { FaultJournal } from "../chaos/fault-journal.js";
import { getInjector, recoverAbandonedJournals, type RecoveredFault } from "../chaos/index.js";
import { localProcessControlAt } from "../env/local/component-control.js";
import { expectationPlan, runExpectation, steadyStatePlan, type ExpectationContext } from "../assertions/index.js";
import { VegetaLoad } from "../scenarios/vegeta-runner.js";
import type { DistributedLoad } from "../scenarios/distributed/index.js";
import { distributedLoad, distributedLoadNotes, type DistributedLoadRequest } from "./distributed-load-run.js";
import { planLoad } from "../scenarios/scenario-registry.js";
import { isFailure, type VegetaResult } from "../scenarios/load-collector.js";
import { summarizeReport, writeReports } from "../reports/index.js";
import { RunAnchors } from "./anchors.js";
import { AbortWatch, type AbortTrip } from "./abort-conditions.js";
import { FaultScheduler } from "./fault-scheduler.js";
import { plannedSchedule } from "./planned-schedule.js";
import { formatDuration } from "../core/durations.js";
import { Timeline } from "../core/timeline.js";
import { redactDeep } from "../core/redact.js";
import { collectAlerts, collectSeries, targetSeries } from "./run-series.js";
import { referenceTarget } from "../env/shared/reference-target.js";
import { prepareRules } from "./rules-for-run.js";
import { evaluateRunSlos } from "./slo-evaluation.js";
import { estimateProduction } from "./production-estimate.js";
import { prometheusRuleFiles } from "../core/paths.js";
import { loadThresholds } from "./load-thresholds.js";
import type { LoadedExperiment } from "./experiment-loader.js";
import { HARNESS_VERSION } from "../core/harness-version.js";
import type { HarnessMetrics } from "./harness-metrics.js";
import { REPORT_SCHEMA_VERSION, ReportSchema, type ExpectationResult, type Report, type Verdict } from "../core/report-schema.js";

export interface RunContext {
  env: StartedEnvironment;
  outDir: string;
  signal: AbortSignal;
  /** Faults of killed earlier runs that the caller already rolled back, before it started the environment. */
  recovered?: RecoveredFault[];
  metrics?: HarnessMetrics;
  onEvent?: (event: import("../core/timeline.js").TimelineEvent) => void;
  /** Load from runner pods in the environment's cluster instead of Vegeta on this machine. */
  distributedLoad?: DistributedLoadRequest;
}

/**
 * Rolls back what killed earlier runs of this user left in place, whichever stack it was in. The
 * run command does it before starting the environment, so the rollback finds that stack as it
 * was left (a provider's start may clean up a dead run's stack).
 */
export function recoverKilledRunsFaults(): Promise<RecoveredFault[]> {
  return recoverAbandonedJournals({ processesAt: localProcessControlAt });
}

function stage(timeline: Timeline, name: string, detail?: string, extra: Record<string, unknown> = {}): void {
  timeline.add("stage", { data: { stage: name, ...(detail ? { detail } : {}), ...extra } });
}

/** Pass only when everything passed; any fail fails; anything unknown, or a fault that never took hold, is inconclusive. */
export function overallVerdict(parts: {
  before: ExpectationResult[];
  expectations: ExpectationResult[];
  after: ExpectationResult[];
  faultsOk: boolean;
  partial: boolean;
  /** False when part of the load never ran (a distributed runner died): a pass would rest on load not sent. */
  loadComplete?: boolean;
}): Verdict {
  const all = [...parts.before, ...parts.expectations, ...parts.after];
  if (all.some((e) => e.verdict === "fail")) return "fail";
  if (parts.partial || !parts.faultsOk || parts.loadComplete === false || all.some((e) => e.verdict === "inconclusive")) return "inconclusive";
  return "pass";
}

/**
 * One experiment, the flow of DESIGN.md: steady state before → load in the background → faults at
 * their offsets → expectations polled to their deadlines → rollback → steady state after → SLOs →
 * reports. Faults are rolled back whatever happens; an interrupted run still writes its report.
 */
export async function runExperiment(loaded: LoadedExperiment, ctx: RunContext): Promise<Report> {
  const { experiment } = loaded;
  const timeline = new Timeline();
  if (ctx.onEvent) timeline.on(ctx.onEvent);
  if (ctx.metrics) timeline.on(ctx.metrics.track(loaded.id));
  const endpoints = ctx.env.getEndpoints();
  const startedAt = new Date();
  const abort = new AbortController();
  // Every expectation and the load listen for the abort; more than Node's default ten is normal here.
  setMaxListeners(200, abort.signal);
  // First-seen times come from the signals' own timestamps (refined to 0.1 s for metrics and
  // alerts), not from when a poll happened, so a 1 s poll keeps ±1 s accuracy at half the load.
  const pollIntervalMs = 1000;
  const onOuterAbort = () => abort.abort();
  ctx.signal.addEventListener("abort", onOuterAbort, { once: true });
  // At the report's startedAt, so T+ offsets counted from this event match the report's.
  timeline.add("run-started", { at: startedAt, data: { experiment: loaded.id, title: experiment.title } });
  mkdirSync(ctx.outDir, { recursive: true });

  const recovered = ctx.recovered ?? (await recoverKilledRunsFaults());
  for (const { faultId, ...r } of recovered) timeline.add("fault-recovered", { id: faultId, data: r });
  if (recovered.length > 0)
    timeline.add("note", {
      data: { message: `rolled back ${recovered.length} fault(s) a killed earlier run left in place: ${recovered.map((r) => r.faultId).join(", ")}` },
    });

  const targetRules = (loaded.target?.rules ?? []).map((r) => path.resolve(loaded.target!.dir, r));
  const rules = await prepareRules(experiment.rules.compress, ctx.env, ctx.outDir, targetRules);
  const journal = FaultJournal.forRun({ experiment: loaded.id, provider: ctx.env.provider, runDir: endpoints.runDir });
  const anchors = new RunAnchors();
  // The plan was made once by the loader (dry-run describes the same one); here it meets the environment.
  const scheduler = new FaultScheduler((plan) => ({ ...plan, endpoints, environment: ctx.env, journal, timeline }), anchors);
  // What every expectation shares: T+ offsets from the run's start, and the faults so far, so a
  // declared blindness excuses a miss and a fault's own effect is named as such.
  const common: ExpectationContext = { endpoints, timeline, pollIntervalMs, origin: startedAt, faults: () => scheduler.windows() };
  let before: ExpectationResult[] = [];
  let after: ExpectationResult[] = [];
  let expectations: ExpectationResult[] = [];
  let load: VegetaLoad | DistributedLoad | undefined;
  let watch: AbortWatch | undefined;
  let abortedBy: AbortTrip | undefined;
  const notes: string[] = [];
  try {
    stage(timeline, "steady state before");
    before = await Promise.all(
      experiment.steadyState.before.map((check) => runExpectation(steadyStatePlan(check, endpoints), { ...common, abortSignal: abort.signal })),
    );
    if (before.some((r) => r.verdict !== "pass")) {
      notes.push("the steady state did not hold before the experiment, so no load or fault was applied");
    } else {
      let runStart = new Date();
      if (experiment.load) {
        const plan = planLoad(experiment.load);
        const by = ctx.distributedLoad ? `${ctx.distributedLoad.runners} runner pods of a Job` : "vegeta";
        stage(timeline, "load", `${plan.scenario}, ${experiment.load.rate} for ${experiment.load.duration} with ${by}`);
        let lastSecond = -1;
        const onResult = (r: VegetaResult) => {
          ctx.metrics?.countRequest(loaded.id, isFailure(r.code));
          const second = Math.floor((Date.parse(r.timestamp) - runStart.getTime()) / 1000);
          if (second > lastSecond) {
            lastSecond = second;
            const totals = load!.collector.totals();
            timeline.add("load-sample", { data: { second, requests: totals.requests, errors: totals.errors, rps: totals.requests / Math.max(1, second) } });
          }
        };
        if (ctx.distributedLoad) {
          const distributed = await distributedLoad(ctx.distributedLoad, loaded, ctx.env, plan, { signal: abort.signal, onResult });
          // Faults and deadlines count from when the runners start together, not from when their Job is made.
          runStart = distributed.startAt;
          load = distributed;
        } else load = new VegetaLoad(plan, { baseUrl: endpoints.api, signal: abort.signal, onResult });
        timeline.add("load-started", {
          data: { scenario: plan.scenario, stages: plan.stages, ...(ctx.distributedLoad ? { runners: ctx.distributedLoad.runners } : {}) },
        });
      }
      anchors.mark("run-start", runStart);
      // Stop conditions guard the whole run: from the load's start, before the first fault.
      const measured = load;
      watch = new AbortWatch(experiment.abort, { endpoints, ...(measured ? { loadTotals: () => measured.collector.totals() } : {}) }, (trip) => {
        abortedBy = trip;
        timeline.add("note", { at: trip.at, data: { message: `abort[${trip.id}] held: ${trip.evidence}; rolling back every fault and ending the run` } });
        abort.abort(`abort condition ${trip.id} held`);
      });
      watch.start();
      const loadDone = (load ? load.run() : Promise.resolve(undefined)).finally(() => {
        anchors.mark("load-end", new Date());
        timeline.add("load-ended");
      });
      if (experiment.faults.length > 0)
        stage(timeline, "faults", experiment.faults.map((f) => `${f.faultId} at ${formatDuration(f.atMs)} for ${formatDuration(f.durationMs)}`).join(", "));
      scheduler.start(experiment.faults, (plan) => getInjector(plan.injector), runStart, abort.signal);
      // The plan lets a live view show the time left and each deadline before its anchor happens.
      const planned = plannedSchedule(experiment, runStart);
      stage(timeline, "expectations", `${experiment.expectations.length} polled to their deadlines`, {
        plannedEndAt: planned.endAt.toISOString(),
        plannedDeadlines: Object.fromEntries(Object.entries(planned.deadlines).map(([id, at]) => [id, at.toISOString()])),
      });
      const sentRequests = () => load?.collector.sentRequests() ?? [];
      expectations = await Promise.all(
        experiment.expectations.map((e) =>
          runExpectation(
            expectationPlan(e, endpoints, (name) => anchors.wait(name)),
            { ...common, abortSignal: abort.signal, sentRequests },
          ),
        ),
      );
      await Promise.all([loadDone, scheduler.settled()]);
    }
  } catch (err) {
    notes.push(`the run stopped early: ${(err as Error).message}`);
    timeline.add("note", { data: { message: (err as Error).message } });
    abort.abort();
  } finally {
    await watch?.stop();
    // Whatever happened above, no fault outlives the run.
    await scheduler.rollbackAll();
    // A fault whose injection was under way at an abort is rolled back once that injection ends.
    await scheduler.settled();
    journal.close();
    anchors.abandonAll();
    ctx.signal.removeEventListener("abort", onOuterAbort);
  }
  const partial = ctx.signal.aborted;
  notes.push(...(watch?.notes ?? []));
  if (!partial && before.every((r) => r.verdict === "pass")) {
    stage(timeline, "steady state after");
    after = await Promise.all(
      experiment.steadyState.after.map((check) => runExpectation(steadyStatePlan(check, endpoints), { ...common, abortSignal: ctx.signal })),
    );
  }
  const endedAt = new Date();
  stage(timeline, "SLOs and reports");
  const faults = scheduler.results();
  const measured = load?.collector.result(load.plan.scenario, endpoints.api);
  const distributed = load && "figures" in load ? load.figures() : undefined;
  if (distributed) notes.push(...distributedLoadNotes(distributed));
  const loadResult = measured
    ? {
        ...measured,
        ...(distributed ? { target: distributed.target, tool: "vegeta (distributed)" } : {}),
        thresholds: loadThresholds(loaded.slos, measured),
        mode: distributed ? ("distributed" as const) : ("local" as const),
        ...(distributed ? { distributed } : {}),
      }
    : undefined;
  const slos = await evaluateRunSlos(loaded.slos, {
    endpoints,
    collector: load?.collector,
    start: startedAt,
    end: endedAt,
    faults,
    timeCompression: experiment.rules.compress,
  });
  const production = await estimateProduction({
    ruleFiles: [...prometheusRuleFiles(), ...targetRules],
    slos: loaded.slos,
    faults,
    ...(loadResult ? { load: loadResult } : {}),
    factor: experiment.rules.compress,
  });
  if (production?.error) timeline.add("note", { data: { message: `no production-scale estimate: ${production.error}` } });
  const [{ series, errors: seriesErrors }, { alerts, errors: alertErrors }] = await Promise.all([
    collectSeries(endpoints, startedAt, endedAt, targetSeries(loaded.target ?? referenceTarget())),
    collectAlerts(endpoints, startedAt, endedAt, experiment.alerts.alwaysFiring),
  ]);
  for (const e of [...seriesErrors, ...alertErrors, ...slos.errors]) timeline.add("note", { data: { message: e } });
  const faultsOk = faults.every((f) => f.effectVerified && !f.error);
  const loadComplete = distributed ? distributed.perRunner.every((r) => r.state === "completed") : true;
  const verdict = overallVerdict({ before, expectations, after, faultsOk, partial, loadComplete });
  timeline.add("run-ended", { data: { verdict, partial } });
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    verdict,
    partial,
    ...(abortedBy ? { abortedBy: { id: abortedBy.id, at: abortedBy.at.toISOString(), evidence: abortedBy.evidence } } : {}),
    experiment: {
      title: experiment.title,
      file: loaded.file,
      id: loaded.id,
      sha256: loaded.sha256,
      ...(loaded.variables.length ? { variables: loaded.variables } : {}),
    },
    harness: { version: HARNESS_VERSION, node: process.version },
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    summary: "",
    environment: {
      provider: ctx.env.provider,
      components: ctx.env.getComponents().map((c) => ({ name: c.name, version: c.version })),
      endpoints: Object.fromEntries(Object.entries(endpoints).filter(([, v]) => typeof v === "string")) as Record<string, string>,
      rules,
    },
    ...(loadResult ? { load: loadResult } : {}),
    faults,
    recoveredFaults: recovered.map(({ faultId, ...rest }) => ({ id: faultId, ...rest })),
    expectations,
    steadyState: { before, after },
    slos: slos.results,
    ...(production ? { production } : {}),
    alerts,
    series,
    timeline: [...timeline.events()],
  };
  report.summary = [summarizeReport(report), ...notes].join(" ");
  // One redaction for every output drawn from the report: report.json, HTML, JUnit, the summary.
  const checked = ReportSchema.parse(redactDeep(report));
  await writeReports(checked, ctx.outDir, ["json", ...experiment.report.formats.filter((f) => f !== "json")]);
  ctx.metrics?.recordRun(
    loaded.id,
    verdict,
    (endedAt.getTime() - startedAt.getTime()) / 1000,
    slos.results.flatMap((s) => [
      { slo: s.name, side: "client" as const, consumed: s.client.budgetConsumed },
      { slo: s.name, side: "server" as const, consumed: s.server.budgetConsumed },
    ]),
  );
  return checked;
}
