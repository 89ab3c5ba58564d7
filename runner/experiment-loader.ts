import { readFileSync } from "node:fs";
import path from "node:path";
import YAML, { LineCounter, isMap, isSeq, type Node } from "yaml";
import type { z } from "zod";
import { BadInputError } from "../core/errors.js";
import { DEADLINE, ExperimentSpec, type Experiment } from "../core/experiment-spec.js";
import { parseDuration } from "../core/durations.js";
import { resolveExperimentSlos, type SloDefinition } from "../assertions/slo/index.js";
import { repoRoot } from "../core/paths.js";
import { getInjector, type FaultPlan } from "../chaos/index.js";

/** What a field of each kind looks like, for error messages that show the fix. */
const EXAMPLES: [RegExp, string][] = [
  [/(^|\.)(at|duration|within|timeout|for|window|minDuration)$/, '"90s"'],
  [/\.within$/, '"60s of pool-exhausted.start"'],
  [/(^|\.)rate$|peakRate$/, '"20/s"'],
  [/(^|\.)id$/, '"pool-exhausted"'],
  [/\.objective$/, "99.5"],
  [/^env\.provider$/, "local"],
  [/^load\.scenario$/, "steady"],
];

function exampleFor(fieldPath: string): string | undefined {
  return EXAMPLES.filter(([re]) => re.test(fieldPath)).at(-1)?.[1];
}

/** faults[1].duration, with list items named by their id when they have one: faults[pool-exhausted].duration */
function describePath(raw: unknown, issuePath: readonly PropertyKey[]): string {
  let node: unknown = raw;
  let out = "";
  for (const key of issuePath) {
    if (typeof key === "number") {
      const id = (node as unknown[] | undefined)?.[key] as { id?: unknown } | undefined;
      out += typeof id?.id === "string" ? `[${id.id}]` : `[${key}]`;
    } else {
      out += out ? `.${String(key)}` : String(key);
    }
    node = (node as Record<PropertyKey, unknown> | undefined)?.[key];
  }
  return out || "(top level)";
}

function lineOf(doc: YAML.Document.Parsed, counter: LineCounter, issuePath: readonly PropertyKey[]): number | undefined {
  let node: Node | null | undefined = doc.contents as Node | null;
  let found: Node | null | undefined = node;
  for (const key of issuePath) {
    if (isMap(node)) node = node.get(key as string, true) as Node | undefined;
    else if (isSeq(node)) node = node.get(key as number, true) as Node | undefined;
    else break;
    if (node) found = node;
  }
  return found?.range ? counter.linePos(found.range[0]).line : undefined;
}

function valueAt(raw: unknown, issuePath: readonly PropertyKey[]): unknown {
  return issuePath.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key], raw);
}

/** Fields earlier versions accepted, with what replaced them. */
const REMOVED: Record<string, string> = {
  requiresMonitoring:
    "requiresMonitoring was removed: a stack that goes blind on its own is a fail with the hop where the signal was lost; when a fault blinds a signal on purpose, say so on the fault, e.g. blinds: [trace, log]",
};

function formatIssue(file: string, raw: unknown, doc: YAML.Document.Parsed, counter: LineCounter, issue: z.core.$ZodIssue): string {
  const where = describePath(raw, issue.path);
  const line = lineOf(doc, counter, issue.path);
  const got = valueAt(raw, issue.path);
  // A whole object adds noise, not information: the path already says which one.
  const gotText = got !== null && typeof got === "object" ? "" : `, got ${got === undefined ? "nothing" : JSON.stringify(got)}`;
  const example = exampleFor(where);
  const removed = issue.code === "unrecognized_keys" ? issue.keys.filter((k) => REMOVED[k]) : [];
  if (removed.length) return `${path.basename(file)}${line ? `:${line}` : ""}: ${where}: ${removed.map((k) => REMOVED[k]).join("; ")}`;
  const unknownKeys = issue.code === "unrecognized_keys" ? ` (unknown key ${issue.keys.map((k) => `"${k}"`).join(", ")}: check the spelling)` : "";
  return `${path.basename(file)}${line ? `:${line}` : ""}: ${where}: ${issue.message}${unknownKeys}${gotText}${example ? `; for example ${example}` : ""}`;
}

/** What an injector needs to check a fault before anything starts. */
export function faultPlan(fault: Experiment["faults"][number], allowlist: readonly string[]): FaultPlan {
  return { faultId: fault.id, params: fault.with, ...(fault.target ? { target: fault.target } : {}), allowlist, maxDurationMs: parseDuration(fault.duration) };
}

/** Checks that a schema cannot express: references between sections. */
function crossCheck(file: string, experiment: Experiment): string[] {
  const name = path.basename(file);
  const errors: string[] = [];
  const faultIds = new Set<string>();
  for (const fault of experiment.faults) {
    if (faultIds.has(fault.id)) errors.push(`${name}: faults[${fault.id}]: the id is used twice; give each fault its own id`);
    faultIds.add(fault.id);
    if (fault.target && experiment.allowlist.length > 0 && !experiment.allowlist.includes(fault.target)) {
      errors.push(`${name}: faults[${fault.id}].target: "${fault.target}" is not in the allowlist [${experiment.allowlist.join(", ")}]; add it to allowlist if this fault may touch it`);
    }
    try {
      getInjector(fault.injector, fault.id).describe(faultPlan(fault, experiment.allowlist));
    } catch (err) {
      errors.push(`${name}: ${(err as Error).message}`);
    }
    if (experiment.load) {
      const end = parseDuration(fault.at) + parseDuration(fault.duration);
      if (end > parseDuration(experiment.load.duration)) {
        errors.push(`${name}: faults[${fault.id}]: it ends at ${fault.at} + ${fault.duration}, after the load stops at ${experiment.load.duration}; shorten it or lengthen load.duration`);
      }
    }
  }
  const ids = new Set<string>();
  for (const e of experiment.expectations) {
    if (ids.has(e.id)) errors.push(`${name}: expectations[${e.id}]: the id is used twice`);
    ids.add(e.id);
    const anchorFault = DEADLINE.exec(e.within)?.[3];
    if (anchorFault && !faultIds.has(anchorFault)) {
      errors.push(`${name}: expectations[${e.id}].within: "${e.within}" refers to fault "${anchorFault}", which is not among faults [${[...faultIds].join(", ")}]`);
    }
    if (e.kind === "resolves" && !e.alert) errors.push(`${name}: expectations[${e.id}].kind: "resolves" applies to alert probes only; use "stays-absent" or an alert probe`);
    const spec = e.trace ?? (typeof e.log === "object" ? e.log : undefined);
    if (spec?.minCoverage !== undefined && !spec.fromLoad) errors.push(`${name}: expectations[${e.id}].${e.trace ? "trace" : "log"}.minCoverage: coverage is measured over the load's own requests; add fromLoad: true or drop minCoverage`);
    if (spec?.fromLoad && !experiment.load) errors.push(`${name}: expectations[${e.id}].${e.trace ? "trace" : "log"}.fromLoad: the experiment has no load; add a load: section or drop fromLoad`);
    if (e.load !== undefined && !experiment.load) errors.push(`${name}: expectations[${e.id}].load: the experiment has no load, so its users saw nothing; add a load: section`);
  }
  const checks = experiment.expectations.length + experiment.steadyState.before.length + experiment.steadyState.after.length;
  if (checks === 0) errors.push(`${name}: the experiment checks nothing: a run without expectations or steady-state checks could only pass vacuously; add expectations: (or steadyState:)`);
  return errors;
}

export interface LoadedExperiment {
  file: string;
  /** File name without extension, used for report folders and metrics labels. */
  id: string;
  experiment: Experiment;
  /** The experiment's `slos:`, names resolved against the slos/ folder. */
  slos: SloDefinition[];
}

/** Reads and validates an experiment file; every problem is reported at once, as BadInputError. */
export function loadExperiment(file: string): LoadedExperiment {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new BadInputError(`${file}: cannot read the experiment file: ${(err as Error).message}`);
  }
  const counter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: counter, prettyErrors: true });
  if (doc.errors.length > 0) throw new BadInputError(`${file}: not valid YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
  const raw = doc.toJS() as unknown;
  const parsed = ExperimentSpec.safeParse(raw);
  if (!parsed.success) throw new BadInputError(parsed.error.issues.map((i) => formatIssue(file, raw, doc, counter, i)).join("\n"));
  const errors = crossCheck(file, parsed.data);
  if (errors.length > 0) throw new BadInputError(errors.join("\n"));
  let slos: SloDefinition[];
  try {
    slos = resolveExperimentSlos(parsed.data.slos, path.join(repoRoot, "slos"), path.basename(file));
  } catch (err) {
    throw new BadInputError((err as Error).message);
  }
  return { file, id: path.basename(file).replace(/\.ya?ml$/, ""), experiment: parsed.data, slos };
}
