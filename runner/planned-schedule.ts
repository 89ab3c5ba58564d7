import type { ExperimentModel } from "../core/experiment-model.js";

export interface PlannedSchedule {
  /** When the load, the faults and every expectation's deadline are planned to be over. */
  endAt: Date;
  /** Each expectation's deadline as planned, by id. */
  deadlines: Record<string, Date>;
}

/**
 * When things should happen, counted from the moment the load and faults start, so a live view
 * can show time left and deadlines before their anchors exist. Only a plan: a fault's real start
 * is when its injector has applied it, so real anchors and deadlines run a little later.
 */
export function plannedSchedule(experiment: ExperimentModel, runStart: Date): PlannedSchedule {
  const at = (offsetMs: number) => new Date(runStart.getTime() + offsetMs);
  const deadlines = Object.fromEntries(experiment.expectations.map((e) => [e.id, at(anchorOffsetMs(experiment, e.anchor) + e.withinMs)]));
  const endMs = Math.max(
    experiment.load?.durationMs ?? 0,
    ...experiment.faults.map((f) => f.atMs + f.durationMs),
    ...Object.values(deadlines).map((d) => d.getTime() - runStart.getTime()),
  );
  return { endAt: at(endMs), deadlines };
}

/** run-start, load-end, <fault>.start or <fault>.end, as the loader has checked them. */
function anchorOffsetMs(experiment: ExperimentModel, anchor: string): number {
  if (anchor === "run-start") return 0;
  // Without load, load-end is the run's start: the anchor settles as soon as there is nothing to wait for.
  if (anchor === "load-end") return experiment.load?.durationMs ?? 0;
  const dot = anchor.lastIndexOf(".");
  const fault = experiment.faults.find((f) => f.faultId === anchor.slice(0, dot));
  if (!fault) throw new Error(`anchor "${anchor}" names no fault of the experiment; the loader should have refused it`);
  return anchor.slice(dot + 1) === "start" ? fault.atMs : fault.atMs + fault.durationMs;
}
