import type { LoadPlan } from "../load-plan.js";
import { resolveRequests } from "../request-sources.js";
import { TargetStream, traceIdOf } from "../target-stream.js";

/** Placeholders the runner's entrypoint replaces with fresh random ids for every request it sends. */
export const TRACE_PLACEHOLDER = "@TRACE@";
export const SPAN_PLACEHOLDER = "@SPAN@";

/** Under a ConfigMap's 1 MiB, with room for its metadata. */
export const MAX_TARGET_BYTES = 900 * 1024;

export interface RunnerTargets {
  /** Vegeta JSON targets, one a line, with the placeholders where the ids go. */
  text: string;
  lines: number;
  /** The template a result came from, by its URL: the same for every request made from one line. */
  templateOf(url: string, traceId: string | undefined): string | undefined;
}

/**
 * The targets every runner cycles through, made by the same TargetStream as local load (templates
 * by weight, parameters from the seeded PRNG) but with the ids left as placeholders: a file of
 * bounded size serves a run of any length, and each request still gets its own trace id. Each
 * runner starts at its own offset into the file, so runners do not send the same sequence.
 */
export function runnerTargets(plan: LoadPlan, baseUrl: string, wanted: number, seed = 42): RunnerTargets {
  const { requests, errors } = resolveRequests(plan.requests, plan.params);
  if (errors.length > 0) throw new Error(errors.join("\n"));
  const stream = new TargetStream({ baseUrl, requests, patients: 500, seed });
  const templates = new Map<string, string>();
  const out: string[] = [];
  let bytes = 0;
  while (out.length < Math.max(1, wanted)) {
    const raw = stream.next();
    const traceId = traceIdOf((JSON.parse(raw) as { url: string }).url)!;
    const line = raw.replaceAll(traceId, TRACE_PLACEHOLDER).replace(/(@TRACE@-)[0-9a-f]{16}(-01)/, `$1${SPAN_PLACEHOLDER}$2`);
    if (bytes + line.length + 1 > MAX_TARGET_BYTES && out.length > 0) break;
    bytes += line.length + 1;
    out.push(line);
    const template = stream.templateOf(traceId);
    const url = (JSON.parse(line) as { url: string }).url;
    if (template !== undefined) templates.set(url, template);
  }
  return {
    text: `${out.join("\n")}\n`,
    lines: out.length,
    templateOf: (url, traceId) => (traceId === undefined ? undefined : templates.get(url.replace(traceId, TRACE_PLACEHOLDER))),
  };
}
